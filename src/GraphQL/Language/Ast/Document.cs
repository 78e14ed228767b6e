namespace MusicSearch.GraphQL.Language.Ast;

public sealed record NameNode(string Value) : Node
{
    public override NodeKind Kind => NodeKind.Name;
}

/// <summary>A whole document: executable definitions (operations, fragments) and, when parsed, type system ones.</summary>
public sealed record DocumentNode(IReadOnlyList<DefinitionNode> Definitions) : Node
{
    public override NodeKind Kind => NodeKind.Document;
}

/// <summary>A top-level definition of a document.</summary>
public abstract record DefinitionNode : Node;

/// <summary>An operation or a fragment: the definitions a server can execute.</summary>
public abstract record ExecutableDefinitionNode : DefinitionNode
{
    public abstract IReadOnlyList<DirectiveNode> Directives { get; }

    public abstract SelectionSetNode SelectionSet { get; }
}

public enum OperationType
{
    Query,
    Mutation,
    Subscription,
}

/// <summary>
/// <c>query Name($v: T = default) @dir { ... }</c>, or the shorthand <c>{ ... }</c> (an anonymous query).
/// graphql-js 16.15 accepts a description before an operation, a fragment and a variable definition; so do we.
/// </summary>
public sealed record OperationDefinitionNode(
    OperationType Operation,
    StringValueNode? Description,
    NameNode? Name,
    IReadOnlyList<VariableDefinitionNode> VariableDefinitions,
    IReadOnlyList<DirectiveNode> Directives,
    SelectionSetNode SelectionSet) : ExecutableDefinitionNode
{
    public override NodeKind Kind => NodeKind.OperationDefinition;

    public override IReadOnlyList<DirectiveNode> Directives { get; } = Directives;

    public override SelectionSetNode SelectionSet { get; } = SelectionSet;
}

public sealed record VariableDefinitionNode(
    StringValueNode? Description,
    VariableNode Variable,
    TypeNode Type,
    ValueNode? DefaultValue,
    IReadOnlyList<DirectiveNode> Directives) : Node
{
    public override NodeKind Kind => NodeKind.VariableDefinition;
}

/// <summary><c>fragment Name on Type @dir { ... }</c></summary>
public sealed record FragmentDefinitionNode(
    StringValueNode? Description,
    NameNode Name,
    NamedTypeNode TypeCondition,
    IReadOnlyList<DirectiveNode> Directives,
    SelectionSetNode SelectionSet) : ExecutableDefinitionNode
{
    public override NodeKind Kind => NodeKind.FragmentDefinition;

    public override IReadOnlyList<DirectiveNode> Directives { get; } = Directives;

    public override SelectionSetNode SelectionSet { get; } = SelectionSet;
}

public sealed record DirectiveNode(NameNode Name, IReadOnlyList<ArgumentNode> Arguments) : Node
{
    public override NodeKind Kind => NodeKind.Directive;
}

public sealed record ArgumentNode(NameNode Name, ValueNode Value) : Node
{
    public override NodeKind Kind => NodeKind.Argument;
}

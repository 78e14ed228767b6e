namespace MusicSearch.GraphQL.Language.Ast;

public sealed record SelectionSetNode(IReadOnlyList<SelectionNode> Selections) : Node
{
    public override NodeKind Kind => NodeKind.SelectionSet;
}

/// <summary>A field, a fragment spread or an inline fragment.</summary>
public abstract record SelectionNode : Node
{
    public abstract IReadOnlyList<DirectiveNode> Directives { get; }
}

/// <summary><c>alias: name(arg: value) @dir { ... }</c></summary>
public sealed record FieldNode(
    NameNode? Alias,
    NameNode Name,
    IReadOnlyList<ArgumentNode> Arguments,
    IReadOnlyList<DirectiveNode> Directives,
    SelectionSetNode? SelectionSet) : SelectionNode
{
    public override NodeKind Kind => NodeKind.Field;

    public override IReadOnlyList<DirectiveNode> Directives { get; } = Directives;

    /// <summary>The key of the field in the response: its alias, or its name.</summary>
    public string ResponseKey => (Alias ?? Name).Value;
}

/// <summary><c>...Name @dir</c></summary>
public sealed record FragmentSpreadNode(NameNode Name, IReadOnlyList<DirectiveNode> Directives) : SelectionNode
{
    public override NodeKind Kind => NodeKind.FragmentSpread;

    public override IReadOnlyList<DirectiveNode> Directives { get; } = Directives;
}

/// <summary><c>... on Type @dir { ... }</c>; the type condition is optional.</summary>
public sealed record InlineFragmentNode(
    NamedTypeNode? TypeCondition,
    IReadOnlyList<DirectiveNode> Directives,
    SelectionSetNode SelectionSet) : SelectionNode
{
    public override NodeKind Kind => NodeKind.InlineFragment;

    public override IReadOnlyList<DirectiveNode> Directives { get; } = Directives;
}

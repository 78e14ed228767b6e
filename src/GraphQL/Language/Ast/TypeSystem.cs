namespace MusicSearch.GraphQL.Language.Ast;

/// <summary>
/// Schema, type and directive definitions and extensions (SDL). An executable document may not contain them, but the
/// parser reads them so that validation can say so, and so that printed schemas can be read back.
/// </summary>
public abstract record TypeSystemDefinitionNode : DefinitionNode
{
    public abstract IReadOnlyList<DirectiveNode> Directives { get; }
}

/// <summary>A named type's definition or extension.</summary>
public abstract record TypeDefinitionNode : TypeSystemDefinitionNode
{
    public abstract NameNode Name { get; }

    /// <summary>True for <c>extend ...</c>.</summary>
    public abstract bool IsExtension { get; }
}

public sealed record OperationTypeDefinitionNode(OperationType Operation, NamedTypeNode Type) : Node
{
    public override NodeKind Kind => NodeKind.OperationTypeDefinition;
}

/// <summary><c>schema { query: Query }</c>, or with <paramref name="IsExtension"/> <c>extend schema ...</c>.</summary>
public sealed record SchemaDefinitionNode(
    StringValueNode? Description,
    IReadOnlyList<DirectiveNode> Directives,
    IReadOnlyList<OperationTypeDefinitionNode> OperationTypes,
    bool IsExtension = false) : TypeSystemDefinitionNode
{
    public override NodeKind Kind => IsExtension ? NodeKind.SchemaExtension : NodeKind.SchemaDefinition;

    public override IReadOnlyList<DirectiveNode> Directives { get; } = Directives;
}

public sealed record ScalarTypeDefinitionNode(
    StringValueNode? Description,
    NameNode Name,
    IReadOnlyList<DirectiveNode> Directives,
    bool IsExtension = false) : TypeDefinitionNode
{
    public override NodeKind Kind => IsExtension ? NodeKind.ScalarTypeExtension : NodeKind.ScalarTypeDefinition;

    public override NameNode Name { get; } = Name;

    public override IReadOnlyList<DirectiveNode> Directives { get; } = Directives;

    public override bool IsExtension { get; } = IsExtension;
}

/// <summary>An object type (<c>type</c>) or, when <paramref name="IsInterface"/>, an interface.</summary>
public sealed record ObjectTypeDefinitionNode(
    StringValueNode? Description,
    NameNode Name,
    IReadOnlyList<NamedTypeNode> Interfaces,
    IReadOnlyList<DirectiveNode> Directives,
    IReadOnlyList<FieldDefinitionNode> Fields,
    bool IsInterface = false,
    bool IsExtension = false) : TypeDefinitionNode
{
    public override NodeKind Kind => (IsInterface, IsExtension) switch
    {
        (false, false) => NodeKind.ObjectTypeDefinition,
        (false, true) => NodeKind.ObjectTypeExtension,
        (true, false) => NodeKind.InterfaceTypeDefinition,
        (true, true) => NodeKind.InterfaceTypeExtension,
    };

    public override NameNode Name { get; } = Name;

    public override IReadOnlyList<DirectiveNode> Directives { get; } = Directives;

    public override bool IsExtension { get; } = IsExtension;
}

public sealed record FieldDefinitionNode(
    StringValueNode? Description,
    NameNode Name,
    IReadOnlyList<InputValueDefinitionNode> Arguments,
    TypeNode Type,
    IReadOnlyList<DirectiveNode> Directives) : Node
{
    public override NodeKind Kind => NodeKind.FieldDefinition;
}

/// <summary>An argument or an input object field definition.</summary>
public sealed record InputValueDefinitionNode(
    StringValueNode? Description,
    NameNode Name,
    TypeNode Type,
    ValueNode? DefaultValue,
    IReadOnlyList<DirectiveNode> Directives) : Node
{
    public override NodeKind Kind => NodeKind.InputValueDefinition;
}

public sealed record UnionTypeDefinitionNode(
    StringValueNode? Description,
    NameNode Name,
    IReadOnlyList<DirectiveNode> Directives,
    IReadOnlyList<NamedTypeNode> Types,
    bool IsExtension = false) : TypeDefinitionNode
{
    public override NodeKind Kind => IsExtension ? NodeKind.UnionTypeExtension : NodeKind.UnionTypeDefinition;

    public override NameNode Name { get; } = Name;

    public override IReadOnlyList<DirectiveNode> Directives { get; } = Directives;

    public override bool IsExtension { get; } = IsExtension;
}

public sealed record EnumTypeDefinitionNode(
    StringValueNode? Description,
    NameNode Name,
    IReadOnlyList<DirectiveNode> Directives,
    IReadOnlyList<EnumValueDefinitionNode> Values,
    bool IsExtension = false) : TypeDefinitionNode
{
    public override NodeKind Kind => IsExtension ? NodeKind.EnumTypeExtension : NodeKind.EnumTypeDefinition;

    public override NameNode Name { get; } = Name;

    public override IReadOnlyList<DirectiveNode> Directives { get; } = Directives;

    public override bool IsExtension { get; } = IsExtension;
}

public sealed record EnumValueDefinitionNode(
    StringValueNode? Description,
    NameNode Name,
    IReadOnlyList<DirectiveNode> Directives) : Node
{
    public override NodeKind Kind => NodeKind.EnumValueDefinition;
}

public sealed record InputObjectTypeDefinitionNode(
    StringValueNode? Description,
    NameNode Name,
    IReadOnlyList<DirectiveNode> Directives,
    IReadOnlyList<InputValueDefinitionNode> Fields,
    bool IsExtension = false) : TypeDefinitionNode
{
    public override NodeKind Kind => IsExtension ? NodeKind.InputObjectTypeExtension : NodeKind.InputObjectTypeDefinition;

    public override NameNode Name { get; } = Name;

    public override IReadOnlyList<DirectiveNode> Directives { get; } = Directives;

    public override bool IsExtension { get; } = IsExtension;
}

/// <summary><c>directive @name(args) repeatable on LOCATION | ...</c></summary>
public sealed record DirectiveDefinitionNode(
    StringValueNode? Description,
    NameNode Name,
    IReadOnlyList<InputValueDefinitionNode> Arguments,
    bool Repeatable,
    IReadOnlyList<NameNode> Locations) : TypeSystemDefinitionNode
{
    public override NodeKind Kind => NodeKind.DirectiveDefinition;

    public override IReadOnlyList<DirectiveNode> Directives => [];
}

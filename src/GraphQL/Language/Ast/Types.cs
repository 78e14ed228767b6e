namespace MusicSearch.GraphQL.Language.Ast;

/// <summary>A type reference: <c>Name</c>, <c>[Type]</c> or <c>Type!</c>.</summary>
public abstract record TypeNode : Node;

public sealed record NamedTypeNode(NameNode Name) : TypeNode
{
    public override NodeKind Kind => NodeKind.NamedType;
}

public sealed record ListTypeNode(TypeNode Type) : TypeNode
{
    public override NodeKind Kind => NodeKind.ListType;
}

/// <summary><c>Type!</c>; the inner type is a named or list type, never another non-null.</summary>
public sealed record NonNullTypeNode(TypeNode Type) : TypeNode
{
    public override NodeKind Kind => NodeKind.NonNullType;
}

namespace MusicSearch.GraphQL.Types;

/// <summary>A union: a value of one of its member object types (spec 3.8).</summary>
public sealed class UnionType(string name, string? description = null, Func<object, string?>? resolveType = null)
    : NamedType(name, description), IAbstractType
{
    public override TypeKind Kind => TypeKind.UNION;

    public IReadOnlyList<ObjectType> Types { get; private set; } = [];

    public Func<object, string?>? ResolveType { get; } = resolveType;

    internal void Define(IReadOnlyList<ObjectType> types) => Types = types;
}

namespace MusicSearch.GraphQL.Types;

/// <summary>An object or interface type: a named type with fields, which may implement interfaces.</summary>
public abstract class FieldsType : NamedType
{
    private Dictionary<string, FieldDefinition> _fieldsByName = [];

    protected FieldsType(string name, string? description)
        : base(name, description)
    {
    }

    /// <summary>In definition order.</summary>
    public IReadOnlyList<FieldDefinition> Fields { get; private set; } = [];

    public IReadOnlyList<InterfaceType> Interfaces { get; private set; } = [];

    public FieldDefinition? GetField(string name) => _fieldsByName.GetValueOrDefault(name);

    /// <summary>Completes the type once every type it refers to exists (types may refer to each other in cycles).</summary>
    internal void Define(IReadOnlyList<FieldDefinition> fields, IReadOnlyList<InterfaceType> interfaces)
    {
        Fields = fields;
        Interfaces = interfaces;
        _fieldsByName = [];
        foreach (var field in fields)
        {
            _fieldsByName.TryAdd(field.Name, field);
        }
    }
}

/// <summary>
/// An object type: the concrete shape of values resolvers return. <see cref="IsTypeOf"/>, when given, tells whether a
/// value belongs to this type, which lets interfaces and unions find the runtime type of their values.
/// </summary>
public sealed class ObjectType(string name, string? description = null, Func<object, bool>? isTypeOf = null)
    : FieldsType(name, description)
{
    public override TypeKind Kind => TypeKind.OBJECT;

    public Func<object, bool>? IsTypeOf { get; } = isTypeOf;
}

/// <summary>
/// An interface type: fields that every implementing object (or interface) has. <see cref="ResolveType"/>, when
/// given, names the object type of a value; otherwise the implementations' <see cref="ObjectType.IsTypeOf"/> decide.
/// </summary>
public sealed class InterfaceType(string name, string? description = null, Func<object, string?>? resolveType = null)
    : FieldsType(name, description), IAbstractType
{
    public override TypeKind Kind => TypeKind.INTERFACE;

    public Func<object, string?>? ResolveType { get; } = resolveType;
}

/// <summary>An interface or union: a type whose values are of one of several object types.</summary>
public interface IAbstractType
{
    string Name { get; }

    /// <summary>Names the object type of a value; null to fall back on the object types' own checks.</summary>
    Func<object, string?>? ResolveType { get; }
}

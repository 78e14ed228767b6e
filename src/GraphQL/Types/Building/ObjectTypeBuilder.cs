namespace MusicSearch.GraphQL.Types;

/// <summary>
/// Defines an object type whose values are <typeparamref name="TSource"/>: its fields and the interfaces it
/// implements. Unless told otherwise, a value belongs to the type when it is a <typeparamref name="TSource"/>.
/// </summary>
public sealed class ObjectTypeBuilder<TSource> : NamedTypeBuilder
{
    private readonly List<FieldBuilder<TSource>> _fields = [];
    private readonly List<string> _interfaces = [];
    private Func<object, bool>? _isTypeOf = typeof(TSource) == typeof(object) ? null : value => value is TSource;

    internal ObjectTypeBuilder(string name)
        : base(name)
    {
    }

    public ObjectTypeBuilder<TSource> Description(string description)
    {
        TypeDescription = description;
        return this;
    }

    public ObjectTypeBuilder<TSource> Implements(params string[] interfaces)
    {
        _interfaces.AddRange(interfaces);
        return this;
    }

    /// <summary>Decides which values belong to this type when an interface or union holds them.</summary>
    public ObjectTypeBuilder<TSource> IsTypeOf(Func<object, bool> isTypeOf)
    {
        _isTypeOf = isTypeOf;
        return this;
    }

    /// <summary>A field read from the parent: a property, say <c>track => track.Title</c>.</summary>
    public ObjectTypeBuilder<TSource> Field<TResult>(string name, string type, Func<TSource, TResult> resolve)
    {
        ArgumentNullException.ThrowIfNull(resolve);
        return Field(name, type, field => field.Resolve(context => resolve(context.Parent)));
    }

    /// <summary>
    /// A field configured in full: arguments, description, resolver. Without a resolver, the field is read from a
    /// dictionary parent by its name (the way graphql-js reads properties).
    /// </summary>
    public ObjectTypeBuilder<TSource> Field(string name, string type, Action<FieldBuilder<TSource>>? configure = null)
    {
        var field = new FieldBuilder<TSource>(name, type);
        configure?.Invoke(field);
        _fields.Add(field);
        return this;
    }

    internal override NamedType Create() => new ObjectType(Name, TypeDescription, _isTypeOf);

    internal override void Complete(NamedType type, TypeLinker linker)
    {
        var fields = _fields.Select(field => field.Build(linker, Name, field.BuiltResolver ?? DefaultResolvers.ByName(field.Name)));
        ((ObjectType)type).Define([.. fields.OfType<FieldDefinition>()], linker.ResolveInterfaces(_interfaces, Name));
    }
}

/// <summary>Defines an interface: the fields every implementation has, and optionally how to tell a value's object type.</summary>
public sealed class InterfaceTypeBuilder : NamedTypeBuilder
{
    private readonly List<InterfaceFieldBuilder> _fields = [];
    private readonly List<string> _interfaces = [];
    private Func<object, string?>? _resolveType;

    internal InterfaceTypeBuilder(string name)
        : base(name)
    {
    }

    public InterfaceTypeBuilder Description(string description)
    {
        TypeDescription = description;
        return this;
    }

    /// <summary>Interfaces this interface implements (spec 3.7, interfaces implementing interfaces).</summary>
    public InterfaceTypeBuilder Implements(params string[] interfaces)
    {
        _interfaces.AddRange(interfaces);
        return this;
    }

    public InterfaceTypeBuilder Field(string name, string type, Action<InterfaceFieldBuilder>? configure = null)
    {
        var field = new InterfaceFieldBuilder(name, type);
        configure?.Invoke(field);
        _fields.Add(field);
        return this;
    }

    /// <summary>Names the object type of a value; without it, the object types' own checks decide.</summary>
    public InterfaceTypeBuilder ResolveType(Func<object, string?> resolveType)
    {
        _resolveType = resolveType;
        return this;
    }

    internal override NamedType Create() => new InterfaceType(Name, TypeDescription, _resolveType);

    internal override void Complete(NamedType type, TypeLinker linker)
    {
        var fields = _fields.Select(field => field.Build(linker, Name, resolver: null));
        ((InterfaceType)type).Define([.. fields.OfType<FieldDefinition>()], linker.ResolveInterfaces(_interfaces, Name));
    }
}

/// <summary>Defines a union of object types.</summary>
public sealed class UnionTypeBuilder : NamedTypeBuilder
{
    private readonly List<string> _members = [];
    private Func<object, string?>? _resolveType;

    internal UnionTypeBuilder(string name)
        : base(name)
    {
    }

    public UnionTypeBuilder Description(string description)
    {
        TypeDescription = description;
        return this;
    }

    public UnionTypeBuilder Types(params string[] members)
    {
        _members.AddRange(members);
        return this;
    }

    /// <summary>Names the object type of a value; without it, the member types' own checks decide.</summary>
    public UnionTypeBuilder ResolveType(Func<object, string?> resolveType)
    {
        _resolveType = resolveType;
        return this;
    }

    internal override NamedType Create() => new UnionType(Name, TypeDescription, _resolveType);

    internal override void Complete(NamedType type, TypeLinker linker)
    {
        var members = new List<ObjectType>();
        foreach (var name in _members)
        {
            switch (linker.ResolveNamed(name, $"union {Name}"))
            {
                case ObjectType member:
                    members.Add(member);
                    break;
                case { } other:
                    linker.Error($"Union type {Name} can only include Object types, it cannot include {other.Name}.");
                    break;
            }
        }

        ((UnionType)type).Define(members);
    }
}

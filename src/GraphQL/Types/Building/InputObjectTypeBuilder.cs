namespace MusicSearch.GraphQL.Types;

/// <summary>Defines an input object: its fields and, optionally, the CLR value it becomes.</summary>
public sealed class InputObjectTypeBuilder : NamedTypeBuilder
{
    private readonly List<InputValueBuilder> _fields = [];
    private Func<IReadOnlyDictionary<string, object?>, object>? _create;
    private bool _isOneOf;

    internal InputObjectTypeBuilder(string name)
        : base(name)
    {
    }

    public InputObjectTypeBuilder Description(string description)
    {
        TypeDescription = description;
        return this;
    }

    public InputObjectTypeBuilder Field(string name, string type, Action<InputValueBuilder>? configure = null)
    {
        var field = new InputValueBuilder(name, type);
        configure?.Invoke(field);
        _fields.Add(field);
        return this;
    }

    public InputObjectTypeBuilder Field(string name, string type, object? defaultValue) =>
        Field(name, type, field => field.Default(defaultValue));

    /// <summary>Makes resolvers receive <paramref name="create"/>'s result (a record, say) instead of the field dictionary.</summary>
    public InputObjectTypeBuilder Create(Func<IReadOnlyDictionary<string, object?>, object> create)
    {
        _create = create;
        return this;
    }

    /// <summary>Makes it a <c>@oneOf</c> input object: a client gives exactly one field, not null.</summary>
    public InputObjectTypeBuilder OneOf()
    {
        _isOneOf = true;
        return this;
    }

    internal override NamedType Create() => new InputObjectType(Name, TypeDescription, _create, _isOneOf);

    internal override void Complete(NamedType type, TypeLinker linker)
    {
        var fields = _fields.Select(field => field.Build(linker, $"{Name}.{field.Name}", isInputField: true)).OfType<InputValueDefinition>();
        ((InputObjectType)type).Define([.. fields]);
    }
}

namespace MusicSearch.GraphQL.Types;

/// <summary>
/// An input object (spec 3.10): named, typed input fields. A coerced value is a dictionary of the fields given (and
/// of defaults), or, when the type has a <see cref="Create"/> function, whatever that makes of the dictionary.
/// </summary>
public sealed class InputObjectType(string name, string? description = null,
    Func<IReadOnlyDictionary<string, object?>, object>? create = null, bool isOneOf = false)
    : NamedType(name, description)
{
    private Dictionary<string, InputValueDefinition> _fieldsByName = [];

    public override TypeKind Kind => TypeKind.INPUT_OBJECT;

    public IReadOnlyList<InputValueDefinition> Fields { get; private set; } = [];

    /// <summary>
    /// Turns the coerced fields into the value resolvers receive, e.g. a record; null keeps the dictionary. It may
    /// throw <see cref="GraphQLException"/> to reject a combination of fields: that is a coercion error for the client.
    /// </summary>
    public Func<IReadOnlyDictionary<string, object?>, object>? Create { get; } = create;

    /// <summary>A <c>@oneOf</c> input object: exactly one field must be given, and not null.</summary>
    public bool IsOneOf { get; } = isOneOf;

    public InputValueDefinition? GetField(string name) => _fieldsByName.GetValueOrDefault(name);

    internal void Define(IReadOnlyList<InputValueDefinition> fields)
    {
        Fields = fields;
        _fieldsByName = [];
        foreach (var field in fields)
        {
            _fieldsByName.TryAdd(field.Name, field);
        }
    }

    internal object Finish(IReadOnlyDictionary<string, object?> fields) => Create is null ? fields : Create(fields);
}

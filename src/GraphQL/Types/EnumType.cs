using MusicSearch.GraphQL.Language.Ast;
using MusicSearch.GraphQL.Utilities;

namespace MusicSearch.GraphQL.Types;

/// <summary>One value of an enum: its name in GraphQL and the internal value resolvers see and return.</summary>
public sealed record EnumValueDefinition(string Name, object? Value, string? Description = null, string? DeprecationReason = null)
{
    public bool IsDeprecated => DeprecationReason is not null;
}

/// <summary>
/// An enum (spec 3.9): a leaf type whose values are names. Internally each name stands for a value of your choice
/// (a C# enum member, say); coercion maps between the two with graphql-js's error messages.
/// </summary>
public sealed class EnumType : NamedType
{
    private readonly Dictionary<string, EnumValueDefinition> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<object, EnumValueDefinition> _byValue = [];

    public EnumType(string name, IReadOnlyList<EnumValueDefinition> values, string? description = null)
        : base(name, description)
    {
        ArgumentNullException.ThrowIfNull(values);
        Values = values;
        foreach (var value in values)
        {
            _byName.TryAdd(value.Name, value);
            _byValue.TryAdd(value.Value ?? value.Name, value);
        }
    }

    public override TypeKind Kind => TypeKind.ENUM;

    public IReadOnlyList<EnumValueDefinition> Values { get; }

    public EnumValueDefinition? GetValue(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The name of an internal value.</summary>
    public string Serialize(object value) =>
        _byValue.TryGetValue(value, out var definition)
            ? definition.Name
            : throw new GraphQLException($"Enum \"{Name}\" cannot represent value: {Inspect.Value(value)}");

    /// <summary>The internal value of a name given in a variable.</summary>
    public object? ParseValue(object value)
    {
        if (value is not string name)
        {
            var described = Inspect.Value(value);
            throw new GraphQLException($"Enum \"{Name}\" cannot represent non-string value: {described}.{DidYouMean(described)}");
        }

        return GetValue(name) is { } definition
            ? definition.Value
            : throw new GraphQLException($"Value \"{name}\" does not exist in \"{Name}\" enum.{DidYouMean(name)}");
    }

    /// <summary>The internal value of an enum literal.</summary>
    public object? ParseLiteral(ValueNode literal)
    {
        ArgumentNullException.ThrowIfNull(literal);
        var described = ScalarType.Describe(literal);
        if (literal is not EnumValueNode enumValue)
        {
            throw new GraphQLException($"Enum \"{Name}\" cannot represent non-enum value: {described}.{DidYouMean(described)}");
        }

        return GetValue(enumValue.Value) is { } definition
            ? definition.Value
            : throw new GraphQLException($"Value \"{described}\" does not exist in \"{Name}\" enum.{DidYouMean(described)}");
    }

    private string DidYouMean(string unknown) =>
        Suggestions.DidYouMean(Suggestions.Closest(unknown, Values.Select(value => value.Name)), "the enum value");
}

using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Types;

/// <summary>
/// Defines a custom scalar by its coercion functions. Unset functions pass values through unchanged, which suits
/// scalars that are JSON strings or numbers on the wire and in resolvers alike.
/// </summary>
public sealed class ScalarTypeBuilder : NamedTypeBuilder
{
    private Func<object, object?> _serialize = value => value;
    private Func<object, object?> _parseValue = value => value;
    private Func<ValueNode, IReadOnlyDictionary<string, object?>?, object?>? _parseLiteral;
    private string? _specifiedByUrl;

    internal ScalarTypeBuilder(string name)
        : base(name)
    {
    }

    public ScalarTypeBuilder Description(string description)
    {
        TypeDescription = description;
        return this;
    }

    /// <summary>The URL of the scalar's specification (<c>@specifiedBy</c>).</summary>
    public ScalarTypeBuilder SpecifiedBy(string url)
    {
        _specifiedByUrl = url;
        return this;
    }

    /// <summary>Internal value to JSON-able result; throw <see cref="GraphQLException"/> for values it cannot represent.</summary>
    public ScalarTypeBuilder Serialize(Func<object, object?> serialize)
    {
        _serialize = serialize;
        return this;
    }

    /// <summary>Variable value (JSON shapes) to internal value; throw <see cref="GraphQLException"/> when invalid.</summary>
    public ScalarTypeBuilder ParseValue(Func<object, object?> parseValue)
    {
        _parseValue = parseValue;
        return this;
    }

    /// <summary>Literal to internal value; without it, the literal is read as a plain value and given to ParseValue.</summary>
    public ScalarTypeBuilder ParseLiteral(Func<ValueNode, object?> parseLiteral)
    {
        ArgumentNullException.ThrowIfNull(parseLiteral);
        _parseLiteral = (literal, _) => parseLiteral(literal);
        return this;
    }

    internal override NamedType Create() => new ScalarType(Name, _serialize, _parseValue, _parseLiteral, TypeDescription, _specifiedByUrl);
}

/// <summary>Adds an existing scalar (one shared between schemas, say).</summary>
internal sealed class ExistingScalarBuilder(ScalarType scalar) : NamedTypeBuilder(scalar.Name)
{
    internal override NamedType Create() => scalar;
}

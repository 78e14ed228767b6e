using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Types;

/// <summary>
/// A leaf type with its own coercion (spec 3.5): <see cref="Serialize"/> turns a resolver's value into a JSON-able
/// result, <see cref="ParseValue"/> turns a variable's JSON value into the internal value, and
/// <see cref="ParseLiteral"/> does the same for a literal in the document. Each throws
/// <see cref="GraphQLException"/> for a value it cannot represent. The functions never see null: null is handled
/// before them.
/// </summary>
public sealed class ScalarType : NamedType
{
    public ScalarType(
        string name,
        Func<object, object?> serialize,
        Func<object, object?> parseValue,
        Func<ValueNode, IReadOnlyDictionary<string, object?>?, object?>? parseLiteral = null,
        string? description = null,
        string? specifiedByUrl = null)
        : base(name, description)
    {
        ArgumentNullException.ThrowIfNull(serialize);
        ArgumentNullException.ThrowIfNull(parseValue);
        Serialize = serialize;
        ParseValue = parseValue;

        // As in graphql-js, a scalar without its own literal parsing reads the literal as a plain value first.
        ParseLiteral = parseLiteral ?? (Func<ValueNode, IReadOnlyDictionary<string, object?>?, object?>) ((literal, variables) => parseValue(LiteralValues.ToPlainValue(literal, variables)!));
        SpecifiedByUrl = specifiedByUrl;
    }

    public override TypeKind Kind => TypeKind.SCALAR;

    /// <summary>A URL that specifies the scalar's behaviour (<c>@specifiedBy</c>).</summary>
    public string? SpecifiedByUrl { get; }

    public Func<object, object?> Serialize { get; }

    public Func<object, object?> ParseValue { get; }

    /// <summary>Reads a non-null literal; the dictionary holds the operation's coerced variables, for literals that nest them.</summary>
    public Func<ValueNode, IReadOnlyDictionary<string, object?>?, object?> ParseLiteral { get; }

    /// <summary>Int, Float, String, Boolean and ID: part of every schema, never printed in SDL.</summary>
    public bool IsSpecified => BuiltInScalars.All.Contains(this);

    /// <summary>The literal as graphql-js prints it into a coercion error message.</summary>
    internal static string Describe(ValueNode literal) => Printer.Print(literal);
}

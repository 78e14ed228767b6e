using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Types;

/// <summary>The directives every schema has, described as graphql-js 16.15 describes them.</summary>
public static class SpecifiedDirectives
{
    public const string DefaultDeprecationReason = "No longer supported";

    private static readonly DirectiveLocation[] ConditionalLocations =
        [DirectiveLocation.FIELD, DirectiveLocation.FRAGMENT_SPREAD, DirectiveLocation.INLINE_FRAGMENT];

    public static DirectiveDefinition Include { get; } = new(
        "include",
        ConditionalLocations,
        [Argument("if", new NonNullType(BuiltInScalars.Boolean), "Included when true.")],
        isRepeatable: false,
        "Directs the executor to include this field or fragment only when the `if` argument is true.");

    public static DirectiveDefinition Skip { get; } = new(
        "skip",
        ConditionalLocations,
        [Argument("if", new NonNullType(BuiltInScalars.Boolean), "Skipped when true.")],
        isRepeatable: false,
        "Directs the executor to skip this field or fragment when the `if` argument is true.");

    public static DirectiveDefinition Deprecated { get; } = new(
        "deprecated",
        [
            DirectiveLocation.FIELD_DEFINITION, DirectiveLocation.ARGUMENT_DEFINITION, DirectiveLocation.INPUT_FIELD_DEFINITION,
            DirectiveLocation.ENUM_VALUE, DirectiveLocation.DIRECTIVE_DEFINITION,
        ],
        [
            new InputValueDefinition(
                "reason",
                BuiltInScalars.String,
                "Explains why this element was deprecated, usually also including a suggestion for how to access supported similar data. Formatted using the Markdown syntax, as specified by [CommonMark](https://commonmark.org/).",
                new StringValueNode(DefaultDeprecationReason),
                DefaultDeprecationReason,
                deprecationReason: null),
        ],
        isRepeatable: false,
        "Marks an element of a GraphQL schema as no longer supported.");

    public static DirectiveDefinition SpecifiedBy { get; } = new(
        "specifiedBy",
        [DirectiveLocation.SCALAR],
        [Argument("url", new NonNullType(BuiltInScalars.String), "The URL that specifies the behavior of this scalar.")],
        isRepeatable: false,
        "Exposes a URL that specifies the behavior of this scalar.");

    public static DirectiveDefinition OneOf { get; } = new(
        "oneOf",
        [DirectiveLocation.INPUT_OBJECT],
        [],
        isRepeatable: false,
        "Indicates exactly one field must be supplied and this field must not be `null`.");

    /// <summary>In graphql-js's order, which is the order introspection lists them in.</summary>
    public static IReadOnlyList<DirectiveDefinition> All { get; } = [Include, Skip, Deprecated, SpecifiedBy, OneOf];

    private static InputValueDefinition Argument(string name, GraphQLType type, string description) =>
        new(name, type, description, defaultLiteral: null, defaultValue: null, deprecationReason: null);
}

namespace MusicSearch.GraphQL.Language;

/// <summary>Where a directive may appear (spec 3.13); the names are the SDL spelling.</summary>
#pragma warning disable CA1707, CA1720 // The members are spelled as in the SDL and in introspection.
public enum DirectiveLocation
{
    QUERY,
    MUTATION,
    SUBSCRIPTION,
    FIELD,
    FRAGMENT_DEFINITION,
    FRAGMENT_SPREAD,
    INLINE_FRAGMENT,
    VARIABLE_DEFINITION,
    SCHEMA,
    SCALAR,
    OBJECT,
    FIELD_DEFINITION,
    ARGUMENT_DEFINITION,
    INTERFACE,
    UNION,
    ENUM,
    ENUM_VALUE,
    INPUT_OBJECT,
    INPUT_FIELD_DEFINITION,
    DIRECTIVE_DEFINITION,
}
#pragma warning restore CA1707, CA1720

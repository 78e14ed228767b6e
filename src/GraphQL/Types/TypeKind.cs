namespace MusicSearch.GraphQL.Types;

/// <summary>The kinds of types, spelled as introspection's <c>__TypeKind</c>.</summary>
#pragma warning disable CA1707, CA1720 // Spelled as in introspection.
public enum TypeKind
{
    SCALAR,
    OBJECT,
    INTERFACE,
    UNION,
    ENUM,
    INPUT_OBJECT,
    LIST,
    NON_NULL,
}
#pragma warning restore CA1707, CA1720

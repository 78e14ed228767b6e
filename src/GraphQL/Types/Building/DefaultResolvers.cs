using System.Collections;
using MusicSearch.GraphQL.Execution;

namespace MusicSearch.GraphQL.Types;

/// <summary>The resolver of fields that have none: read the field's name from a dictionary parent.</summary>
internal static class DefaultResolvers
{
    public static FieldResolver ByName(string name) => context => new ValueTask<object?>(Read(context.Parent, name));

    private static object? Read(object? parent, string name) => parent switch
    {
        IReadOnlyDictionary<string, object?> fields => fields.GetValueOrDefault(name),
        IDictionary dictionary => dictionary.Contains(name) ? dictionary[name] : null,
        _ => null,
    };
}

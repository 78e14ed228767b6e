using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL;

/// <summary>
/// An error of the response (spec 7.1.2): a message for the client, where in the document it arose
/// (<see cref="Locations"/>), where in the response (<see cref="Path"/>, for field errors), and
/// <see cref="Extensions"/>, which carry the <c>code</c>.
/// </summary>
public sealed class GraphQLError
{
    public GraphQLError(string message, IReadOnlyList<SourceLocation>? locations = null, IReadOnlyList<object>? path = null,
        IReadOnlyDictionary<string, object?>? extensions = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        Message = message;
        Locations = locations is { Count: > 0 } ? locations : null;
        Path = path;
        Extensions = extensions;
    }

    public string Message { get; }

    /// <summary>Line and column of each node the error is about; null when it is about the request as a whole.</summary>
    public IReadOnlyList<SourceLocation>? Locations { get; }

    /// <summary>Response keys and list indexes leading to the field that failed; null outside execution.</summary>
    public IReadOnlyList<object>? Path { get; }

    public IReadOnlyDictionary<string, object?>? Extensions { get; }

    /// <summary>The <c>extensions.code</c>, when there is one.</summary>
    public string? Code => Extensions?.GetValueOrDefault("code") as string;

    /// <summary>An error about <paramref name="nodes"/>, located at their starts, with an <c>extensions.code</c>.</summary>
    public static GraphQLError At(string message, string? code, params IEnumerable<Node> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        return new GraphQLError(message, [.. nodes.Select(node => node.Location.StartLocation)], null, WithCode(code));
    }

    internal static Dictionary<string, object?>? WithCode(string? code, IReadOnlyDictionary<string, object?>? more = null)
    {
        if (code is null && more is null)
        {
            return null;
        }

        var extensions = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (code is not null)
        {
            extensions["code"] = code;
        }

        foreach (var (key, value) in more ?? new Dictionary<string, object?>())
        {
            extensions[key] = value;
        }

        return extensions;
    }

    public override string ToString() => Locations is null ? Message : $"{Message} ({string.Join(", ", Locations.Select(l => $"{l.Line}:{l.Column}"))})";
}

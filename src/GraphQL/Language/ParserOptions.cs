namespace MusicSearch.GraphQL.Language;

/// <summary>Bounds that keep hostile documents from costing more than they are worth to read.</summary>
public sealed record ParserOptions
{
    public static readonly ParserOptions Default = new();

    /// <summary>Parsing stops with a syntax error after this many tokens (ignored tokens not counted); null: no bound.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>
    /// How deeply selection sets, list and object values and list types may nest. The parser and every walker after
    /// it recurse once per level, so this bound is what keeps a document of a million <c>[</c> from exhausting the
    /// stack, which would end the process rather than fail the request.
    /// </summary>
    public int MaxNestingDepth { get; init; } = 500;
}

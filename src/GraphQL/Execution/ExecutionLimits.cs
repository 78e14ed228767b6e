namespace MusicSearch.GraphQL.Execution;

/// <summary>
/// Bounds checked before a document is validated or executed, so that one request cannot cost the server more than
/// a legitimate one would. Exceeding one fails the request with <c>extensions.code</c> QUERY_TOO_COMPLEX. The defaults
/// admit graphql-js's introspection query.
/// </summary>
public sealed record ExecutionLimits
{
    public static readonly ExecutionLimits Default = new();

    /// <summary>The longest document accepted, in UTF-16 code units (characters, for most text).</summary>
    public int MaxQueryLength { get; init; } = 100_000;

    /// <summary>The most tokens the parser reads before giving up.</summary>
    public int MaxTokens { get; init; } = 20_000;

    /// <summary>How deeply fields may nest: a root field is at depth 1, a field in its selection set at 2.</summary>
    public int MaxDepth { get; init; } = 15;

    /// <summary>The most fields a single selection set may select directly.</summary>
    public int MaxBreadth { get; init; } = 100;

    /// <summary>
    /// The most fields an operation selects once every fragment spread is replaced by the fragment's fields: a
    /// fragment spread twice counts twice, which is what makes "fragment bombs" visible.
    /// </summary>
    public int MaxFields { get; init; } = 2_000;
}

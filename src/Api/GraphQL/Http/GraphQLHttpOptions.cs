using MusicSearch.GraphQL.Execution;

namespace MusicSearch.Api.GraphQL.Http;

/// <summary>The GraphQL endpoint (configuration section <c>GraphQL</c>): document limits and the persisted-query store.</summary>
public sealed class GraphQLHttpOptions
{
    public const string Section = "GraphQL";

    /// <summary>Longest document, in characters (a larger body is refused before by <c>Limits:MaxRequestBodyBytes</c>).</summary>
    public int MaxQueryLength { get; set; } = ExecutionLimits.Default.MaxQueryLength;

    /// <summary>How deeply fields may nest.</summary>
    public int MaxDepth { get; set; } = ExecutionLimits.Default.MaxDepth;

    /// <summary>Most fields one selection set may select directly.</summary>
    public int MaxBreadth { get; set; } = ExecutionLimits.Default.MaxBreadth;

    /// <summary>Most fields of an operation once fragments are expanded.</summary>
    public int MaxFields { get; set; } = ExecutionLimits.Default.MaxFields;

    /// <summary>Most tokens the parser reads.</summary>
    public int MaxTokens { get; set; } = ExecutionLimits.Default.MaxTokens;

    /// <summary>Documents kept parsed and validated.</summary>
    public int DocumentCacheSize { get; set; } = 1_000;

    /// <summary>Automatic persisted queries kept (least recently used go first).</summary>
    public int PersistedQueryEntries { get; set; } = 10_000;

    /// <summary>Characters of persisted queries kept in all, so that the store's memory stays bounded whatever the documents' sizes.</summary>
    public long PersistedQueryCharacters { get; set; } = 50_000_000;

    public ExecutionLimits Limits => new()
    {
        MaxQueryLength = MaxQueryLength,
        MaxDepth = MaxDepth,
        MaxBreadth = MaxBreadth,
        MaxFields = MaxFields,
        MaxTokens = MaxTokens,
    };

    internal IEnumerable<string> Problems()
    {
        foreach (var (name, value) in new (string, long)[]
        {
            (nameof(MaxQueryLength), MaxQueryLength), (nameof(MaxDepth), MaxDepth), (nameof(MaxBreadth), MaxBreadth), (nameof(MaxFields), MaxFields),
            (nameof(MaxTokens), MaxTokens), (nameof(PersistedQueryEntries), PersistedQueryEntries), (nameof(PersistedQueryCharacters), PersistedQueryCharacters),
        })
        {
            if (value < 1)
            {
                yield return $"{Section}:{name} must be at least 1, got {value}";
            }
        }
        if (DocumentCacheSize < 0)
        {
            yield return $"{Section}:{nameof(DocumentCacheSize)} must not be negative, got {DocumentCacheSize}";
        }
    }
}

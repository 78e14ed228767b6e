namespace MusicSearch.GraphQL.Execution;

public sealed record GraphQLExecutorOptions
{
    public ExecutionLimits Limits { get; init; } = ExecutionLimits.Default;

    /// <summary>How many distinct documents stay parsed and validated; the least recently used go first.</summary>
    public int DocumentCacheSize { get; init; } = 1_000;
}

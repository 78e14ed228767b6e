using MusicSearch.GraphQL.Validation;

namespace MusicSearch.GraphQL.Execution;

public sealed record GraphQLExecutorOptions
{
    /// <summary>The validation rules documents must pass; the spec's (<see cref="SpecifiedRules.All"/>) by default.</summary>
    public IReadOnlyList<IValidationRule>? Rules { get; init; }

    public ExecutionLimits Limits { get; init; } = ExecutionLimits.Default;

    /// <summary>How many distinct documents stay parsed and validated; the least recently used go first.</summary>
    public int DocumentCacheSize { get; init; } = 1_000;
}

namespace MusicSearch.Api.Paging;

/// <summary>One page of a list: <see cref="EndCursor"/> continues after its last item (GraphQL connection style).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? EndCursor, bool HasNextPage);

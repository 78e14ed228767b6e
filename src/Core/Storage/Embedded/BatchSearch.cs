using MusicSearch.Core.Vectors;

namespace MusicSearch.Core.Storage.Embedded;

/// <summary>
/// Many similarity queries over one <see cref="TrackIndex"/> (the caller holds its read lock), each answered exactly as
/// <see cref="IndexSearch.Similar(TrackIndex, ResolvedQuery, SearchSettings)"/> answers it alone. Exact queries with
/// the same filter share one pass over the matrix (<see cref="VectorSearch.SearchBatch"/> reads each cache-sized block
/// once for all of them); their seed exclusions, per-artist limits and minimum scores are then applied to each query's
/// share of a top-k deep enough for them. A query that its top-k cannot answer for certain, and every quantized one
/// (its int8 candidates depend on its own filter), is searched on its own.
/// </summary>
internal static class BatchSearch
{
    // Deeper queries (large offsets) are answered alone: in a shared scan every query of their group would keep as
    // many matches. Every query without an offset is shallower.
    private const int MaxSharedDepth = (4 * SimilarityQuery.MaxLimit) + SimilarityQuery.MaxExamples;

    public static IReadOnlyList<SimilarTrack>[] Similar(TrackIndex index, IReadOnlyList<SimilarityQuery> queries, SearchSettings settings)
    {
        // Every query is resolved before anything is scored: an unknown seed fails the whole batch, as the contract says.
        var resolved = queries.Select(query => ResolvedQuery.Of(index, query)).ToArray();
        var results = new IReadOnlyList<SimilarTrack>[resolved.Length];
        for (var i = 0; i < resolved.Length; i++)
        {
            if (index.Tracks.Count == 0 || resolved[i].Query.Precision != SearchPrecision.Exact || Depth(resolved[i]) > MaxSharedDepth)
            {
                results[i] = IndexSearch.Similar(index, resolved[i], settings);
            }
        }
        var shared = Enumerable.Range(0, resolved.Length)
            .Where(i => results[i] is null)
            .GroupBy(i => resolved[i].Query.Filter, SameFilter.Instance);
        foreach (var group in shared)
        {
            var members = group.Select(i => resolved[i]).ToArray();
            var answers = ScanTogether(index, members, settings);
            foreach (var (i, answer) in group.Zip(answers))
            {
                results[i] = answer;
            }
        }
        return results;
    }

    private static IReadOnlyList<SimilarTrack>[] ScanTogether(TrackIndex index, ResolvedQuery[] queries, SearchSettings settings)
    {
        var rows = index.Tracks.Count;
        var k = Math.Min(rows, queries.Max(Depth));
        var dimensions = index.Tracks.Dimensions;
        var vectors = new float[queries.Length * dimensions];
        for (var q = 0; q < queries.Length; q++)
        {
            queries[q].Vector.CopyTo(vectors, q * dimensions);
        }
        var matches = new VectorMatch[queries.Length * k];
        var counts = new int[queries.Length];
        var options = new VectorSearchOptions
        {
            Threads = settings.Threads,
            // The lowest minimum of the group bounds the scan; each query's own minimum is applied to its share below.
            MinScore = queries.Min(query => query.MinScore),
            AllowedRows = Admitted(index, new CompiledFilter(queries[0].Query.Filter)),
        };
        VectorSearch.SearchBatch(index.Tracks, vectors, k, matches, counts, options);

        var artistOf = IndexSearch.ArtistOf(index);
        var results = new IReadOnlyList<SimilarTrack>[queries.Length];
        for (var q = 0; q < queries.Length; q++)
        {
            var query = queries[q];
            var ranked = matches.AsSpan(q * k, counts[q]);
            var exclusions = new CompiledFilter(query.SeedExclusions);
            var minScore = query.MinScore;
            var kept = WideningSearch.Keep(ranked, query.Needed, query.Query.MaxPerArtist, artistOf,
                match => match.Score >= minScore && exclusions.Matches(index.TrackAt(match.Row)!));
            // What was kept is the start of the query's own ranking if it is complete, or if the shared top-k held
            // every row the query could still accept: all admitted rows, or down to scores below its minimum.
            var certain = kept.Count == query.Needed || ranked.Length < k || k == rows || ranked[^1].Score < minScore;
            results[q] = certain ? IndexSearch.Results(index, query, kept) : IndexSearch.Similar(index, query, settings);
        }
        return results;
    }

    /// <summary>
    /// The live rows that <paramref name="filter"/> admits, or null for all rows: evaluated once for the group, where a
    /// predicate would be called again for every four queries.
    /// </summary>
    private static RowSet? Admitted(TrackIndex index, CompiledFilter filter)
    {
        if (filter.IsEmpty && !index.HasDeadRows)
        {
            return null;
        }
        var admitted = new RowSet(index.Tracks.Count);
        for (var row = 0; row < admitted.Size; row++)
        {
            if (index.TrackAt(row) is { } track && filter.Matches(track))
            {
                admitted.Add(row);
            }
        }
        return admitted;
    }

    /// <summary>
    /// How deep a query's share of the shared top-k must go. The seeds remove at most one row each, so without thinning
    /// needed + seeds always suffices; thinning (per-artist limit, seed artists or albums) may remove any number, so
    /// such a query gets the first step of <see cref="WideningSearch"/> (four times what it needs) and falls back to
    /// widening alone when even that is not enough.
    /// </summary>
    private static int Depth(ResolvedQuery query) => (query.IsThinned ? 4 * query.Needed : query.Needed) + query.SeedCount;

    /// <summary>
    /// Filters that admit the same rows because they hold the same conditions, whether or not they are the same
    /// instance (every query of a neighbours page carries its own copy). Order and letter case still count, so two
    /// equivalent filters may only fail to share a scan.
    /// </summary>
    private sealed class SameFilter : IEqualityComparer<TrackFilter>
    {
        public static SameFilter Instance { get; } = new();

        public bool Equals(TrackFilter? x, TrackFilter? y) =>
            ReferenceEquals(x, y) || x is not null && y is not null
            && x.YearFrom == y.YearFrom && x.YearTo == y.YearTo && x.BpmFrom == y.BpmFrom && x.BpmTo == y.BpmTo
            && Same(x.Artists, y.Artists) && Same(x.Albums, y.Albums) && Same(x.Genres, y.Genres) && Same(x.Tags, y.Tags)
            && Same(x.ExcludeArtists, y.ExcludeArtists) && Same(x.ExcludeAlbums, y.ExcludeAlbums) && Same(x.ExcludeTracks, y.ExcludeTracks);

        public int GetHashCode(TrackFilter obj) => HashCode.Combine(obj.YearFrom, obj.YearTo, obj.BpmFrom, obj.BpmTo,
            obj.Artists?.Count ?? 0, obj.Genres?.Count ?? 0, obj.Tags?.Count ?? 0, obj.ExcludeTracks?.Count ?? 0);

        // A null list and an empty one filter nothing alike.
        private static bool Same<T>(IReadOnlyList<T>? x, IReadOnlyList<T>? y) => (x ?? []).SequenceEqual(y ?? []);
    }
}

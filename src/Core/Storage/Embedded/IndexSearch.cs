using MusicSearch.Core.Vectors;

namespace MusicSearch.Core.Storage.Embedded;

/// <summary>How searches run: threads per search and the int8 oversampling of quantized searches.</summary>
internal readonly record struct SearchSettings(int Threads, int Oversampling);

/// <summary>Similarity and window queries over a <see cref="TrackIndex"/>; the caller holds its read lock.</summary>
internal static class IndexSearch
{
    public static IReadOnlyList<SimilarTrack> Similar(TrackIndex index, SimilarityQuery query, SearchSettings settings) =>
        Similar(index, ResolvedQuery.Of(index, query), settings);

    /// <summary>One query on its own: the seed exclusions are part of the scan's filter, the top-k widens as needed.</summary>
    public static IReadOnlyList<SimilarTrack> Similar(TrackIndex index, ResolvedQuery query, SearchSettings settings)
    {
        var filter = new CompiledFilter(query.Filter);
        var options = new VectorSearchOptions
        {
            Threads = settings.Threads,
            MinScore = query.MinScore,
            Filter = filter.IsEmpty && !index.HasDeadRows ? null : row => index.TrackAt(row) is { } track && filter.Matches(track),
        };
        var matches = WideningSearch.Run(query.Needed, index.Tracks.Count, query.Query.MaxPerArtist,
            (k, results) => query.Query.Precision == SearchPrecision.Quantized
                ? VectorSearch.SearchInt8(index.Tracks, query.Vector, k, settings.Oversampling, results, options)
                : VectorSearch.Search(index.Tracks, query.Vector, k, results, options),
            ArtistOf(index));
        return Results(index, query, matches);
    }

    /// <summary>The artist key of a live row: the group of the per-artist limit.</summary>
    public static Func<int, string?> ArtistOf(TrackIndex index) => row => index.TrackAt(row)!.ArtistKey;

    /// <summary>The page the query asked for out of the matches it kept (best first, <see cref="ResolvedQuery.Needed"/> at most).</summary>
    public static IReadOnlyList<SimilarTrack> Results(TrackIndex index, ResolvedQuery query, List<VectorMatch> kept) =>
        [.. kept.Skip(query.Query.Offset).Select(match => new SimilarTrack(index.TrackAt(match.Row)!.Track, match.Score))];

    public static IReadOnlyList<WindowMatch> Windows(TrackIndex index, WindowQuery query, SearchSettings settings)
    {
        var filter = new CompiledFilter(query.Filter);
        var options = new VectorSearchOptions
        {
            Threads = settings.Threads,
            MinScore = query.MinScore ?? float.NegativeInfinity,
            Filter = filter.IsEmpty && !index.HasDeadRows
                ? null
                : row => index.TrackAt(index.WindowOwner(row)) is { } track && filter.Matches(track),
        };
        var matches = WideningSearch.Run(query.Limit, index.Windows.Count, query.MaxPerTrack,
            (k, results) => VectorSearch.Search(index.Windows, query.Vector, k, results, options), index.WindowOwner);
        return [.. matches.Select(match =>
        {
            var track = index.TrackAt(index.WindowOwner(match.Row))!;
            var (start, duration) = index.WindowSpan(match.Row);
            return new WindowMatch(track.Track, match.Row - track.FirstWindow, start, duration, match.Score);
        })];
    }
}

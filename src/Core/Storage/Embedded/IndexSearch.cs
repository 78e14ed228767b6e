using MusicSearch.Core.Catalog;
using MusicSearch.Core.Vectors;

namespace MusicSearch.Core.Storage.Embedded;

/// <summary>How searches run: threads per search and the int8 oversampling of quantized searches.</summary>
internal readonly record struct SearchSettings(int Threads, int Oversampling);

/// <summary>Similarity and window queries over a <see cref="TrackIndex"/>; the caller holds its read lock.</summary>
internal static class IndexSearch
{
    public static IReadOnlyList<SimilarTrack> Similar(TrackIndex index, SimilarityQuery query, SearchSettings settings)
    {
        var seeds = new List<TrackId>();
        var seedArtists = new List<string>();
        var seedAlbums = new List<string>();
        var positives = Resolve(index, query.Positive, seeds, seedArtists, seedAlbums);
        var negatives = Resolve(index, query.Negative ?? [], seeds, null, null);
        var vector = QueryVector.Combine(positives, negatives);
        var filter = new CompiledFilter(query.Filter.Excluding(seeds,
            query.ExcludeSeedArtists ? seedArtists : [], query.ExcludeSeedAlbums ? seedAlbums : []));
        var options = new VectorSearchOptions
        {
            Threads = settings.Threads,
            MinScore = query.MinScore ?? float.NegativeInfinity,
            Filter = filter.IsEmpty && !index.HasDeadRows ? null : row => index.TrackAt(row) is { } track && filter.Matches(track),
        };
        var matches = WideningSearch.Run(query.Offset + query.Limit, index.Tracks.Count, query.MaxPerArtist,
            (k, results) => query.Precision == SearchPrecision.Quantized
                ? VectorSearch.SearchInt8(index.Tracks, vector, k, settings.Oversampling, results, options)
                : VectorSearch.Search(index.Tracks, vector, k, results, options),
            row => index.TrackAt(row)!.ArtistKey);
        return [.. matches.Skip(query.Offset).Select(match => new SimilarTrack(index.TrackAt(match.Row)!.Track, match.Score))];
    }

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

    /// <summary>
    /// The vectors of a query's examples. Stored tracks join <paramref name="seeds"/> (never returned), and their artists
    /// and albums join the seed lists when those are given.
    /// </summary>
    private static List<float[]> Resolve(TrackIndex index, IReadOnlyList<QueryExample> examples, List<TrackId> seeds,
        List<string>? seedArtists, List<string>? seedAlbums)
    {
        var vectors = new List<float[]>(examples.Count);
        foreach (var example in examples)
        {
            switch (example)
            {
                case null:
                    throw new ArgumentException("a query example is null");
                case { TrackId: { } id }:
                    if (!index.TryGetRow(id, out var row))
                    {
                        throw new UnknownTrackException(id, "is not in the collection or has no vectors (failed, or pending without earlier vectors)");
                    }
                    var track = index.TrackAt(row)!.Track;
                    seeds.Add(id);
                    if (track.Artist is { } artist)
                    {
                        seedArtists?.Add(artist);
                    }
                    if (track.Album is { } album)
                    {
                        seedAlbums?.Add(album);
                    }
                    vectors.Add(index.Tracks.Row(row).ToArray());
                    break;
                default:
                    vectors.Add(CheckVector(example.Vector!, index.Tracks.Dimensions));
                    break;
            }
        }
        return vectors;
    }

    private static float[] CheckVector(float[] vector, int dimensions)
    {
        if (vector.Length != dimensions)
        {
            throw new ArgumentException($"a query vector must have {dimensions} dimensions, got {vector.Length}");
        }
        if (!vector.All(float.IsFinite))
        {
            throw new ArgumentException("a query vector contains a non-finite value");
        }
        return vector;
    }
}

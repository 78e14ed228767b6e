using MusicSearch.Core.Catalog;

namespace MusicSearch.Core.Storage.Embedded;

/// <summary>
/// A similarity query with its examples looked up in a <see cref="TrackIndex"/>: the combined query vector and what
/// its seed tracks exclude. Single and batched searches both start here, so they rank and exclude alike.
/// </summary>
internal sealed class ResolvedQuery
{
    private readonly List<TrackId> _seeds = [];
    private readonly List<string> _seedArtists = [];
    private readonly List<string> _seedAlbums = [];

    private ResolvedQuery(TrackIndex index, SimilarityQuery query)
    {
        Query = query;
        var positives = Resolve(index, query.Positive, query.ExcludeSeedArtists ? _seedArtists : null, query.ExcludeSeedAlbums ? _seedAlbums : null);
        var negatives = Resolve(index, query.Negative ?? [], null, null);
        Vector = QueryVector.Combine(positives, negatives);
    }

    public SimilarityQuery Query { get; }

    public float[] Vector { get; }

    /// <summary>How many of the top results the query needs before its offset is skipped.</summary>
    public int Needed => Query.Offset + Query.Limit;

    public float MinScore => Query.MinScore ?? float.NegativeInfinity;

    /// <summary>How many tracks were given as examples: the most rows the seed exclusion alone can remove.</summary>
    public int SeedCount => _seeds.Count;

    /// <summary>
    /// Whether results may be removed for reasons beyond the seed tracks themselves: the per-artist limit, or the seeds'
    /// artists and albums (any number of rows).
    /// </summary>
    public bool IsThinned => Query.MaxPerArtist is not null || _seedArtists.Count > 0 || _seedAlbums.Count > 0;

    /// <summary>The query's filter with the seed exclusions added: exactly the tracks it may return.</summary>
    public TrackFilter Filter => Query.Filter.Excluding(_seeds, _seedArtists, _seedAlbums);

    /// <summary>Only the seed exclusions, for a search that applied <see cref="SimilarityQuery.Filter"/> already.</summary>
    public TrackFilter SeedExclusions => TrackFilter.None.Excluding(_seeds, _seedArtists, _seedAlbums);

    /// <summary>
    /// Throws <see cref="UnknownTrackException"/> for a seed that is not in the index (or has no vectors) and
    /// <see cref="ArgumentException"/> for a bad query vector.
    /// </summary>
    public static ResolvedQuery Of(TrackIndex index, SimilarityQuery query) => new(index, query);

    /// <summary>
    /// The vectors of examples. Stored tracks join the seeds (never returned), and their artists and albums join the
    /// excluded ones when those lists are given.
    /// </summary>
    private List<float[]> Resolve(TrackIndex index, IReadOnlyList<QueryExample> examples, List<string>? seedArtists, List<string>? seedAlbums)
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
                    _seeds.Add(id);
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

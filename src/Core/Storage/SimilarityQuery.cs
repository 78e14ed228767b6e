using MusicSearch.Core.Catalog;

namespace MusicSearch.Core.Storage;

/// <summary>
/// "Songs that sound like these": one or more positive examples, optional negative ones, filters and diversity limits.
/// Examples given by track id are never returned themselves.
/// </summary>
public sealed record SimilarityQuery
{
    public const int MaxLimit = 1000;
    public const int MaxExamples = 64;

    public IReadOnlyList<QueryExample> Positive { get; init; } = [];

    public IReadOnlyList<QueryExample> Negative { get; init; } = [];

    public int Limit { get; init; } = 10;

    /// <summary>Results to skip (after filtering and the per-artist limit), for paging.</summary>
    public int Offset { get; init; }

    public TrackFilter Filter { get; init; } = TrackFilter.None;

    /// <summary>Leave out tracks by the artists of the positive seed tracks.</summary>
    public bool ExcludeSeedArtists { get; init; }

    /// <summary>Leave out tracks from the albums of the positive seed tracks.</summary>
    public bool ExcludeSeedAlbums { get; init; }

    /// <summary>At most this many results by one artist (tracks without an artist are not limited).</summary>
    public int? MaxPerArtist { get; init; }

    /// <summary>Cosine similarity below this is never returned.</summary>
    public float? MinScore { get; init; }

    public SearchPrecision Precision { get; init; } = SearchPrecision.Exact;

    public static SimilarityQuery ForTrack(TrackId id, int limit = 10) => new() { Positive = [QueryExample.OfTrack(id)], Limit = limit };

    public static SimilarityQuery ForVector(float[] vector, int limit = 10) => new() { Positive = [QueryExample.OfVector(vector)], Limit = limit };

    public void Validate()
    {
        if (Positive is not { Count: > 0 })
        {
            throw new ArgumentException("a similarity query needs at least one positive example");
        }
        if (Positive.Count + (Negative?.Count ?? 0) > MaxExamples)
        {
            throw new ArgumentException($"a similarity query takes at most {MaxExamples} examples");
        }
        if (Limit is < 1 or > MaxLimit)
        {
            throw new ArgumentException($"limit must be between 1 and {MaxLimit}, got {Limit}");
        }
        if (Offset is < 0 or > 100_000)
        {
            throw new ArgumentException($"offset must be between 0 and 100000, got {Offset}");
        }
        if (MaxPerArtist is < 1)
        {
            throw new ArgumentException($"maxPerArtist must be at least 1, got {MaxPerArtist}");
        }
        if (MinScore is { } min && !float.IsFinite(min))
        {
            throw new ArgumentException("minScore must be a finite number");
        }
        ArgumentNullException.ThrowIfNull(Filter);
        Filter.Validate();
    }
}

/// <summary>An example of what the results should (or should not) sound like: a stored track or a raw vector.</summary>
public sealed record QueryExample
{
    private QueryExample(TrackId? trackId, float[]? vector) => (TrackId, Vector) = (trackId, vector);

    public TrackId? TrackId { get; }

    public float[]? Vector { get; }

    public static QueryExample OfTrack(TrackId id) => new(id, null);

    public static QueryExample OfVector(float[] vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        return new(null, vector);
    }
}

public enum SearchPrecision
{
    /// <summary>Every candidate scored in fp32.</summary>
    Exact,

    /// <summary>Candidates scored on 8-bit codes, the best of them rescored in fp32: several times faster, recall@10 ≥ 0.99.</summary>
    Quantized,
}

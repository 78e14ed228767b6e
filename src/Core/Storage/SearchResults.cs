using MusicSearch.Core.Catalog;

namespace MusicSearch.Core.Storage;

/// <summary>A similar track and its cosine similarity to the query.</summary>
public sealed record SimilarTrack(Track Track, float Score);

/// <summary>Which windows are closest to a vector (typically the embedding of an excerpt).</summary>
public sealed record WindowQuery(float[] Vector)
{
    public int Limit { get; init; } = 10;

    public TrackFilter Filter { get; init; } = TrackFilter.None;

    /// <summary>At most this many windows of one track in the results.</summary>
    public int MaxPerTrack { get; init; } = 1;

    public float? MinScore { get; init; }

    public void Validate(int dimensions)
    {
        if (Vector is null || Vector.Length != dimensions)
        {
            throw new ArgumentException($"the query vector must have {dimensions} dimensions, got {Vector?.Length ?? 0}");
        }
        if (Limit is < 1 or > SimilarityQuery.MaxLimit)
        {
            throw new ArgumentException($"limit must be between 1 and {SimilarityQuery.MaxLimit}, got {Limit}");
        }
        if (MaxPerTrack < 1)
        {
            throw new ArgumentException($"maxPerTrack must be at least 1, got {MaxPerTrack}");
        }
        ArgumentNullException.ThrowIfNull(Filter);
        Filter.Validate();
    }
}

/// <summary>A window of a track close to the query; <c>WindowIndex</c> is its position in the track's window list.</summary>
public sealed record WindowMatch(Track Track, int WindowIndex, double StartSeconds, double DurationSeconds, float Score);

/// <summary>Words to find in titles, artists and albums (every word must match; the last one may be a prefix).</summary>
public sealed record TextQuery(string Text)
{
    public const int MaxTextLength = 256;

    public int Limit { get; init; } = 20;

    public TrackFilter Filter { get; init; } = TrackFilter.None;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Text) || Text.Length > MaxTextLength)
        {
            throw new ArgumentException($"the search text must have 1 to {MaxTextLength} characters");
        }
        if (Limit is < 1 or > SimilarityQuery.MaxLimit)
        {
            throw new ArgumentException($"limit must be between 1 and {SimilarityQuery.MaxLimit}, got {Limit}");
        }
        ArgumentNullException.ThrowIfNull(Filter);
        Filter.Validate();
    }
}

/// <summary>A text match; higher scores are better matches.</summary>
public sealed record TextMatch(TrackRecord Record, double Score);

public sealed record StatusCounts(long Pending, long Indexed, long Failed)
{
    public long Total => Pending + Indexed + Failed;
}

/// <summary>A page of tracks in ascending id order, optionally only those in one status.</summary>
public sealed record TrackListQuery
{
    public const int MaxLimit = 1000;

    public TrackStatus? Status { get; init; }

    /// <summary>Continue after this track (the previous page's <see cref="TrackPage.Next"/>).</summary>
    public TrackId? After { get; init; }

    public int Limit { get; init; } = 100;

    public bool WithVectors { get; init; }

    public void Validate()
    {
        if (Limit is < 1 or > MaxLimit)
        {
            throw new ArgumentException($"limit must be between 1 and {MaxLimit}, got {Limit}");
        }
        if (After == default(TrackId))
        {
            throw new ArgumentException("the cursor is an uninitialised track id");
        }
    }
}

/// <summary>A page of tracks; <c>Next</c> is the cursor of the following page, or null on the last page.</summary>
public sealed record TrackPage(IReadOnlyList<TrackRecord> Items, TrackId? Next);

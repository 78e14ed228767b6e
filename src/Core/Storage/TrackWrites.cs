using MusicSearch.Core.Catalog;

namespace MusicSearch.Core.Storage;

/// <summary>An embedded track to store.</summary>
public sealed record TrackPoint(Track Track, TrackVectors Vectors, long Version)
{
    public int Attempts { get; init; } = 1;

    public DateTimeOffset IndexedAt { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>A track announced by the catalog and not embedded yet.</summary>
public sealed record PendingTrack(Track Track, long Version);

/// <summary>
/// A track that could not be embedded: <c>Code</c> is a stable machine-readable cause (<c>corrupt</c>, <c>not-found</c>,
/// <c>not-allowed</c>…), <c>Reason</c> what an operator reads.
/// </summary>
public sealed record TrackFailure(Track Track, long Version, string Code, string Reason)
{
    public int Attempts { get; init; } = 1;
}

public sealed record TrackRemoval(TrackId TrackId, long Version);

/// <summary>What a store did with one write.</summary>
public enum WriteOutcome
{
    Applied,

    /// <summary>Ignored: the track already reflects a later event.</summary>
    Stale,
}

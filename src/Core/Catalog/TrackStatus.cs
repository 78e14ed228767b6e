namespace MusicSearch.Core.Catalog;

/// <summary>Where a track is in the indexing pipeline of one collection.</summary>
public enum TrackStatus
{
    /// <summary>Known to the catalog, waiting to be (re-)embedded. Vectors from an earlier indexing stay searchable.</summary>
    Pending,

    /// <summary>Embedded with the collection's model; searchable.</summary>
    Indexed,

    /// <summary>Could not be embedded; the reason says why. Not searchable.</summary>
    Failed,
}

/// <summary>The indexing state of a track in one collection.</summary>
/// <param name="Status">Pending, indexed or failed.</param>
/// <param name="Version">The catalog event version that last changed the track; older events are ignored.</param>
/// <param name="UpdatedAt">When the store applied that change.</param>
public sealed record TrackState(TrackStatus Status, long Version, DateTimeOffset UpdatedAt)
{
    /// <summary>Indexing attempts made for the current version (1 after a first success or permanent failure).</summary>
    public int Attempts { get; init; }

    /// <summary>Why indexing failed, readable by an operator (null unless failed).</summary>
    public string? FailureReason { get; init; }

    /// <summary>A stable machine-readable failure code (e.g. <c>corrupt</c>, <c>not-found</c>), for grouping.</summary>
    public string? FailureCode { get; init; }

    /// <summary>The model version whose vectors the track has, or null when it has none.</summary>
    public string? ModelVersion { get; init; }

    public DateTimeOffset? IndexedAt { get; init; }
}

/// <summary>A track as a store returns it: payload, state, and its vectors when asked for.</summary>
public sealed record TrackRecord(Track Track, TrackState State)
{
    public TrackVectors? Vectors { get; init; }
}

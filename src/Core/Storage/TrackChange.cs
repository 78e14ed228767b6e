using MusicSearch.Core.Catalog;

namespace MusicSearch.Core.Storage;

internal enum ChangeKind
{
    Index,
    Pending,
    Fail,
    Remove,
}

/// <summary>One validated write of a batch: every store validates and orders writes through this, so they accept and refuse alike.</summary>
internal sealed record TrackChange(ChangeKind Kind, TrackId Id, long Version)
{
    public const int MaxCodeLength = 64;
    public const int MaxReasonLength = 4096;

    /// <summary>The new payload; null for a removal.</summary>
    public Track? Track { get; init; }

    /// <summary>The new vectors of an index change; a pending change keeps the ones stored, the others drop them.</summary>
    public TrackVectors? Vectors { get; init; }

    public int Attempts { get; init; }

    public DateTimeOffset? IndexedAt { get; init; }

    public string? FailureCode { get; init; }

    public string? FailureReason { get; init; }

    public bool KeepsVectors => Kind == ChangeKind.Pending;

    public TrackStatus? Status => Kind switch
    {
        ChangeKind.Index => TrackStatus.Indexed,
        ChangeKind.Pending => TrackStatus.Pending,
        ChangeKind.Fail => TrackStatus.Failed,
        _ => null,
    };

    public static TrackChange From(TrackPoint point, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(point);
        CheckTrack(point.Track);
        ArgumentNullException.ThrowIfNull(point.Vectors);
        point.Vectors.Validate(dimensions);
        CheckAttempts(point.Attempts, point.Track.Id);
        return new(ChangeKind.Index, point.Track.Id, point.Version)
        {
            Track = point.Track,
            Vectors = point.Vectors,
            Attempts = point.Attempts,
            IndexedAt = point.IndexedAt,
        };
    }

    public static TrackChange From(PendingTrack pending)
    {
        ArgumentNullException.ThrowIfNull(pending);
        CheckTrack(pending.Track);
        return new(ChangeKind.Pending, pending.Track.Id, pending.Version) { Track = pending.Track };
    }

    public static TrackChange From(TrackFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        CheckTrack(failure.Track);
        var id = failure.Track.Id;
        if (string.IsNullOrWhiteSpace(failure.Code) || failure.Code.Length > MaxCodeLength)
        {
            throw new ArgumentException($"track {id}: a failure code must have 1 to {MaxCodeLength} characters");
        }
        if (failure.Reason is null || failure.Reason.Length > MaxReasonLength)
        {
            throw new ArgumentException($"track {id}: a failure reason must have at most {MaxReasonLength} characters");
        }
        CheckAttempts(failure.Attempts, id);
        return new(ChangeKind.Fail, id, failure.Version)
        {
            Track = failure.Track,
            Attempts = failure.Attempts,
            FailureCode = failure.Code,
            FailureReason = failure.Reason,
        };
    }

    public static TrackChange From(TrackRemoval removal)
    {
        ArgumentNullException.ThrowIfNull(removal);
        if (removal.TrackId == default)
        {
            throw new ArgumentException("a removal needs a track id");
        }
        return new(ChangeKind.Remove, removal.TrackId, removal.Version);
    }

    /// <summary>
    /// Whether this change applies over what the store holds: a later or equal version applies again (redelivery),
    /// except that an index event never overrides a removal of the same version.
    /// </summary>
    public bool Supersedes(long storedVersion, bool storedIsRemoval) =>
        Version > storedVersion || Version == storedVersion && (Kind == ChangeKind.Remove || !storedIsRemoval);

    private static void CheckTrack(Track? track)
    {
        ArgumentNullException.ThrowIfNull(track);
        track.Validate();
    }

    private static void CheckAttempts(int attempts, TrackId id)
    {
        if (attempts < 0)
        {
            throw new ArgumentException($"track {id}: attempts must not be negative, got {attempts}");
        }
    }
}

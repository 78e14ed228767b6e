using MusicSearch.Core.Messages;

namespace MusicSearch.Indexing.Pipeline;

/// <summary>What indexing did with one <see cref="IndexTrack"/> message of a batch.</summary>
public abstract record TrackOutcome(IndexTrack Message);

/// <summary>The track's vectors are stored (now, or by an earlier delivery of the same message).</summary>
public sealed record TrackIndexedOutcome(IndexTrack Message, TrackIndexed Event) : TrackOutcome(Message);

/// <summary>The track failed permanently: recorded as failed where possible; the message belongs in the error queue.</summary>
public sealed record TrackFailedOutcome(IndexTrack Message, IndexingFailure Failure, int Attempts) : TrackOutcome(Message);

/// <summary>Nothing to do: a later event of the track was already applied (a removal, a newer version).</summary>
public sealed record TrackSkippedOutcome(IndexTrack Message, string Why) : TrackOutcome(Message);

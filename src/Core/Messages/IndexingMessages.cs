using MusicSearch.Core.Catalog;

// Integration events of the indexing pipeline. They travel over RabbitMQ (or the in-memory bus) as JSON, so they are
// plain records without behaviour, and their namespace is part of the message type on the wire: do not move them.
namespace MusicSearch.Core.Messages;

/// <summary>
/// Embed a track and store it. <paramref name="Version"/> orders events of the same track (a catalog sequence number or
/// the event time in ticks): the store ignores an event older than the last one it applied, so a <see cref="RemoveTrack"/>
/// published after this message wins even if a redelivery of this one arrives later.
/// </summary>
/// <param name="Track">The track's payload, including where its audio is.</param>
/// <param name="Version">Monotonic per track; later events carry larger versions.</param>
/// <param name="ModelVersion">The collection to write into; null means the active one. A catalog re-index names the new model.</param>
public sealed record IndexTrack(Track Track, long Version, string? ModelVersion = null);

/// <summary>Remove a track from every collection; later index events with a larger version bring it back.</summary>
public sealed record RemoveTrack(TrackId TrackId, long Version);

/// <summary>Published after a track's vectors are durably stored.</summary>
public sealed record TrackIndexed(TrackId TrackId, string ModelVersion, int Windows, double DurationSeconds, DateTimeOffset IndexedAt);

/// <summary>
/// Published when a track could not be indexed. Permanent failures (corrupt audio, unsupported format, a source outside
/// the library) are not retried; transient ones were retried until the retry budget ran out.
/// </summary>
public sealed record TrackIndexingFailed(TrackId TrackId, string Code, string Reason, bool Permanent, int Attempts, DateTimeOffset FailedAt);

/// <summary>
/// Re-embed the whole catalog with <paramref name="ModelVersion"/> into a new collection; searches keep using the current
/// one until every track of the new collection is indexed or failed, then the active collection switches over.
/// </summary>
public sealed record ReindexCatalog(string ModelVersion);

using MusicSearch.Core.Catalog;

namespace MusicSearch.Core.Storage;

/// <summary>
/// One collection of the track store (ARCHITECTURE.md §6): the catalog payload, indexing state and vectors of one
/// model version. Every implementation (embedded, Qdrant) passes the same contract test suite, so callers rely only on
/// what is written here.
/// </summary>
/// <remarks>
/// Writes are idempotent and ordered per track by the event version they carry: a write older than the last one applied
/// to that track is ignored and reported <see cref="WriteOutcome.Stale"/>, an equal one is applied again (redelivery).
/// A removal also wins over an index event of the same version. Every write is durable when its task completes.
/// Failures to reach or write the store throw <see cref="TrackStoreUnavailableException"/> (worth retrying); invalid
/// arguments throw <see cref="ArgumentException"/>; unknown seed tracks throw <see cref="UnknownTrackException"/>.
/// </remarks>
public interface ITrackStore
{
    CollectionInfo Info { get; }

    /// <summary>Stores tracks with their vectors; they become <see cref="TrackStatus.Indexed"/> and searchable.</summary>
    Task<IReadOnlyList<WriteOutcome>> UpsertAsync(IReadOnlyList<TrackPoint> points, CancellationToken cancellationToken = default);

    /// <summary>Records tracks waiting to be embedded; vectors they already have stay searchable.</summary>
    Task<IReadOnlyList<WriteOutcome>> MarkPendingAsync(IReadOnlyList<PendingTrack> tracks, CancellationToken cancellationToken = default);

    /// <summary>Records tracks that could not be embedded, with the reason; their vectors are dropped.</summary>
    Task<IReadOnlyList<WriteOutcome>> MarkFailedAsync(IReadOnlyList<TrackFailure> failures, CancellationToken cancellationToken = default);

    /// <summary>Removes tracks; the removal is remembered so that older index events cannot bring them back.</summary>
    Task<IReadOnlyList<WriteOutcome>> RemoveAsync(IReadOnlyList<TrackRemoval> removals, CancellationToken cancellationToken = default);

    /// <summary>
    /// A track and its state, or null when the collection does not hold it (never written, or removed). Vectors come back
    /// as written, within float rounding: stores may keep them L2-normalised, as every embedding already is.
    /// </summary>
    Task<TrackRecord?> GetAsync(TrackId id, bool withVectors = false, CancellationToken cancellationToken = default);

    /// <summary>Tracks most similar to the query's examples, best first.</summary>
    Task<IReadOnlyList<SimilarTrack>> SearchAsync(SimilarityQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Several similarity queries at once, results in query order: what a catalog-wide neighbours job uses. Each result
    /// is exactly what <see cref="SearchAsync"/> returns for that query; the queries need not share any setting. Stores
    /// override this when they can answer a batch faster than one query at a time (one scan for many queries).
    /// </summary>
    /// <remarks>
    /// All or nothing: an invalid query (<see cref="ArgumentException"/>) or a seed the collection does not hold
    /// (<see cref="UnknownTrackException"/>) fails the whole call with that query's error and no results, so a caller
    /// that may meet removed seeds checks them or retries without the failing query. An empty batch returns no results.
    /// </remarks>
    async Task<IReadOnlyList<IReadOnlyList<SimilarTrack>>> SearchBatchAsync(IReadOnlyList<SimilarityQuery> queries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var results = new IReadOnlyList<SimilarTrack>[queries.Count];
        for (var i = 0; i < queries.Count; i++)
        {
            results[i] = await SearchAsync(queries[i], cancellationToken).ConfigureAwait(false);
        }
        return results;
    }

    /// <summary>Windows most similar to a vector: which part of which track sounds closest.</summary>
    Task<IReadOnlyList<WindowMatch>> SearchWindowsAsync(WindowQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Tracks whose title, artist or album match the words of the query, best first. Pending and failed tracks are
    /// included (editors look for them too); the words are matched literally, never parsed as query syntax.
    /// </summary>
    Task<IReadOnlyList<TextMatch>> SearchTextAsync(TextQuery query, CancellationToken cancellationToken = default);

    Task<StatusCounts> CountAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Tracks in ascending id order (<see cref="TrackId.CompareTo"/>), one page at a time; the page's cursor continues
    /// where it stopped.
    /// </summary>
    Task<TrackPage> ListAsync(TrackListQuery query, CancellationToken cancellationToken = default);
}

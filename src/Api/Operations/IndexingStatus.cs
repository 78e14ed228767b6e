using MusicSearch.Api.Paging;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;
using MusicSearch.Indexing.Messaging;
using MusicSearch.Indexing.Pipeline;

namespace MusicSearch.Api.Operations;

/// <summary>Messages waiting in one broker queue (RabbitMQ only; error queues end in <c>_error</c>).</summary>
public sealed record QueueDepth(string Queue, long Messages);

/// <summary>
/// Where indexing stands: counts by status in the active collection (none before anything was indexed), the
/// messages being processed and waiting, and throughput (null until measured).
/// </summary>
public sealed record IndexingSnapshot(string? Collection, StatusCounts Counts, long InFlight, IReadOnlyList<QueueDepth> Queues, Throughput? Throughput);

/// <summary>A track that could not be indexed, with the stable code and the reason an operator reads.</summary>
public sealed record FailedTrack(Track Track, string Code, string Reason, int Attempts, DateTimeOffset FailedAt);

/// <summary>Indexing progress for editors and the status page: counts, queues, throughput, and the failures most recent first.</summary>
public sealed class IndexingStatus(ITrackCollections collections, IndexerMetrics metrics, ThroughputSampler throughput, QueueDepthMonitor queues)
{
    private const int ListPage = 1000;

    public async Task<IndexingSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        var active = await collections.GetActiveAsync(cancellationToken).ConfigureAwait(false);
        var counts = active is null ? new StatusCounts(0, 0, 0) : await active.CountAsync(cancellationToken).ConfigureAwait(false);
        var depths = queues.Depths.OrderBy(depth => depth.Key, StringComparer.Ordinal).Select(depth => new QueueDepth(depth.Key, depth.Value)).ToArray();
        return new IndexingSnapshot(active?.Info.Name, counts, metrics.InFlight, depths, throughput.Current);
    }

    /// <summary>
    /// Failed tracks of the active collection, most recently failed first (ties by id). The store lists by id, so every
    /// failure is read to order them by time; failures are few next to the catalog.
    /// </summary>
    public async Task<Page<FailedTrack>> FailuresAsync(int first, string? after, CancellationToken cancellationToken)
    {
        OffsetCursor.CheckFirst(first);
        var offset = OffsetCursor.Decode(after);
        var active = await collections.GetActiveAsync(cancellationToken).ConfigureAwait(false);
        if (active is null)
        {
            return new Page<FailedTrack>([], null, false);
        }
        var failures = new List<FailedTrack>();
        TrackId? cursor = null;
        do
        {
            var page = await active.ListAsync(new TrackListQuery { Status = TrackStatus.Failed, After = cursor, Limit = ListPage }, cancellationToken).ConfigureAwait(false);
            failures.AddRange(page.Items.Select(record => new FailedTrack(record.Track, record.State.FailureCode ?? "unknown", record.State.FailureReason ?? "",
                record.State.Attempts, record.State.UpdatedAt)));
            cursor = page.Next;
        }
        while (cursor is not null);
        var ordered = failures.OrderByDescending(failure => failure.FailedAt).ThenBy(failure => failure.Track.Id).Skip(offset).Take(first + 1).ToArray();
        return OffsetCursor.PageOf(ordered, offset, first);
    }
}

using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;

namespace MusicSearch.Indexing.Tests.Pipeline;

/// <summary>
/// Fault injection around a real store: every upsert first runs <c>beforeUpsert</c> (with the 1-based number of the
/// upsert), which may throw (a store that is down) or wait (a slow write). Everything else goes straight through.
/// </summary>
public sealed class InterceptingCollections(ITrackCollections inner, Func<int, Task> beforeUpsert) : ITrackCollections
{
    private readonly Func<int, Task> _beforeUpsert = beforeUpsert;
    private int _upserts;

    public int Upserts => Volatile.Read(ref _upserts);

    public async Task<ITrackStore> OpenAsync(string modelVersion, int dimensions, CancellationToken cancellationToken = default) =>
        new InterceptingStore(this, await inner.OpenAsync(modelVersion, dimensions, cancellationToken));

    public async Task<ITrackStore?> GetActiveAsync(CancellationToken cancellationToken = default) =>
        await inner.GetActiveAsync(cancellationToken) is { } active ? new InterceptingStore(this, active) : null;

    public Task ActivateAsync(string modelVersion, CancellationToken cancellationToken = default) => inner.ActivateAsync(modelVersion, cancellationToken);

    public Task<IReadOnlyList<CollectionInfo>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);

    public Task DropAsync(string modelVersion, CancellationToken cancellationToken = default) => inner.DropAsync(modelVersion, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class InterceptingStore(InterceptingCollections owner, ITrackStore store) : ITrackStore
    {
        public CollectionInfo Info => store.Info;

        public async Task<IReadOnlyList<WriteOutcome>> UpsertAsync(IReadOnlyList<TrackPoint> points, CancellationToken cancellationToken = default)
        {
            await owner._beforeUpsert(Interlocked.Increment(ref owner._upserts));
            return await store.UpsertAsync(points, cancellationToken);
        }

        public Task<IReadOnlyList<WriteOutcome>> MarkPendingAsync(IReadOnlyList<PendingTrack> tracks, CancellationToken cancellationToken = default) => store.MarkPendingAsync(tracks, cancellationToken);

        public Task<IReadOnlyList<WriteOutcome>> MarkFailedAsync(IReadOnlyList<TrackFailure> failures, CancellationToken cancellationToken = default) => store.MarkFailedAsync(failures, cancellationToken);

        public Task<IReadOnlyList<WriteOutcome>> RemoveAsync(IReadOnlyList<TrackRemoval> removals, CancellationToken cancellationToken = default) => store.RemoveAsync(removals, cancellationToken);

        public Task<TrackRecord?> GetAsync(TrackId id, bool withVectors = false, CancellationToken cancellationToken = default) => store.GetAsync(id, withVectors, cancellationToken);

        public Task<IReadOnlyList<SimilarTrack>> SearchAsync(SimilarityQuery query, CancellationToken cancellationToken = default) => store.SearchAsync(query, cancellationToken);

        public Task<IReadOnlyList<WindowMatch>> SearchWindowsAsync(WindowQuery query, CancellationToken cancellationToken = default) => store.SearchWindowsAsync(query, cancellationToken);

        public Task<IReadOnlyList<TextMatch>> SearchTextAsync(TextQuery query, CancellationToken cancellationToken = default) => store.SearchTextAsync(query, cancellationToken);

        public Task<StatusCounts> CountAsync(CancellationToken cancellationToken = default) => store.CountAsync(cancellationToken);

        public Task<TrackPage> ListAsync(TrackListQuery query, CancellationToken cancellationToken = default) => store.ListAsync(query, cancellationToken);
    }
}

using MusicSearch.Api.Errors;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;

namespace MusicSearch.Api.Store;

/// <summary>The collection searches read: the store's active one, looked up per request so that a finished re-index is picked up at once.</summary>
public sealed class ActiveStore(ITrackCollections collections)
{
    /// <exception cref="NoActiveCollectionException">Nothing was indexed yet.</exception>
    public async Task<ITrackStore> GetAsync(CancellationToken cancellationToken) =>
        await collections.GetActiveAsync(cancellationToken).ConfigureAwait(false) ?? throw new NoActiveCollectionException();

    /// <summary>A track with its vectors.</summary>
    /// <exception cref="TrackNotFoundException">The track is not in the collection, or has no vectors (pending or failed).</exception>
    public static async Task<TrackRecord> GetWithVectorsAsync(ITrackStore store, TrackId id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var record = await store.GetAsync(id, withVectors: true, cancellationToken).ConfigureAwait(false)
            ?? throw new TrackNotFoundException($"no track '{id}' in the catalog");
        return record.Vectors is null
            ? throw new TrackNotFoundException($"track '{id}' has no vectors yet (status {record.State.Status.ToString().ToLowerInvariant()})")
            : record;
    }
}

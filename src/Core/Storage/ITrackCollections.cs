namespace MusicSearch.Core.Storage;

/// <summary>
/// The collections of a track store, one per model version, and which one is active (searched by default). A catalog
/// re-index fills a new collection while the active one keeps serving, then <see cref="ActivateAsync"/> switches over
/// atomically (an alias in Qdrant, a durable pointer in the embedded store).
/// </summary>
public interface ITrackCollections : IAsyncDisposable
{
    /// <summary>The collection of <paramref name="modelVersion"/>, created empty if missing.</summary>
    /// <exception cref="TrackStoreException">It exists with a different number of dimensions.</exception>
    Task<ITrackStore> OpenAsync(string modelVersion, int dimensions, CancellationToken cancellationToken = default);

    /// <summary>The active collection, or null before any collection was activated.</summary>
    Task<ITrackStore?> GetActiveAsync(CancellationToken cancellationToken = default);

    /// <summary>Makes an existing collection the active one.</summary>
    Task ActivateAsync(string modelVersion, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<CollectionInfo>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes a collection that is not active.</summary>
    Task DropAsync(string modelVersion, CancellationToken cancellationToken = default);
}

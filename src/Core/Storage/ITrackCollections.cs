namespace MusicSearch.Core.Storage;

/// <summary>
/// The collections of a track store, one per model version, and which one is active (searched by default). A catalog
/// re-index fills a new collection while the active one keeps serving, then <see cref="ActivateAsync"/> switches over
/// atomically (an alias in Qdrant, a durable pointer in the embedded store).
/// </summary>
public interface ITrackCollections : IAsyncDisposable
{
    /// <summary>The collection of <paramref name="modelVersion"/>, created empty if missing.</summary>
    /// <exception cref="TrackStoreException">
    /// It exists with a different number of dimensions, or its name (<see cref="CollectionInfo.NameFor"/>) is taken by
    /// another model version.
    /// </exception>
    /// <exception cref="ArgumentException">Dimensions outside 1..<see cref="CollectionInfo.MaxDimensions"/> or an invalid version.</exception>
    Task<ITrackStore> OpenAsync(string modelVersion, int dimensions, CancellationToken cancellationToken = default);

    /// <summary>The active collection, or null before any collection was activated.</summary>
    Task<ITrackStore?> GetActiveAsync(CancellationToken cancellationToken = default);

    /// <summary>Makes an existing collection the active one (durably: it is still active after a restart).</summary>
    /// <exception cref="TrackStoreException">No collection of that model version exists.</exception>
    Task ActivateAsync(string modelVersion, CancellationToken cancellationToken = default);

    /// <summary>Every collection, by name.</summary>
    Task<IReadOnlyList<CollectionInfo>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a collection that is not active; nothing happens when it does not exist. Stores opened on it fail with
    /// <see cref="TrackStoreException"/> afterwards.
    /// </summary>
    /// <exception cref="TrackStoreException">It is the active collection.</exception>
    Task DropAsync(string modelVersion, CancellationToken cancellationToken = default);
}

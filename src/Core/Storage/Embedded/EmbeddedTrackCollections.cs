namespace MusicSearch.Core.Storage.Embedded;

/// <summary>
/// The embedded track store: SQLite files in one directory, each collection searched in memory.
/// <list type="bullet">
/// <item><c>store.lock</c>: held (an exclusive advisory lock) while a process has the store open; a second opener fails.</item>
/// <item><c>catalog.db</c>: the collections and the active one (<see cref="CollectionCatalog"/>).</item>
/// <item><c>tracks_*.db</c>: one file per collection (<see cref="TrackDatabase"/>).</item>
/// </list>
/// Every acknowledged write is fsynced (WAL, <c>synchronous=FULL</c>); a crash at any moment loses at most the batch
/// being written and never corrupts a file.
/// </summary>
public sealed class EmbeddedTrackCollections : ITrackCollections
{
    private const string LockFile = "store.lock";
    private const string CatalogFile = "catalog.db";

    private readonly EmbeddedStoreOptions _options;
    private readonly FileStream _lock;
    private readonly CollectionCatalog _catalog;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, EmbeddedTrackStore> _open = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <summary>Opens (creating if needed) the store in <see cref="EmbeddedStoreOptions.Directory"/>.</summary>
    /// <exception cref="TrackStoreUnavailableException">The directory cannot be used, or another process has the store open.</exception>
    public EmbeddedTrackCollections(EmbeddedStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        Directory = Path.GetFullPath(options.Directory);
        _lock = Lock(Directory);
        try
        {
            _catalog = CollectionCatalog.Open(Path.Combine(Directory, CatalogFile));
        }
        catch
        {
            _lock.Dispose();
            throw;
        }
    }

    /// <summary>The absolute path of the store's directory.</summary>
    public string Directory { get; }

    public async Task<ITrackStore> OpenAsync(string modelVersion, int dimensions, CancellationToken cancellationToken = default)
    {
        var name = CollectionInfo.NameFor(modelVersion);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dimensions, CollectionInfo.MaxDimensions);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var info = _open.TryGetValue(name, out var open) ? open.Info : _catalog.Find(name);
            if (info is not null)
            {
                if (info.ModelVersion != modelVersion)
                {
                    throw new TrackStoreException($"collection {name} already holds model version '{info.ModelVersion}', not '{modelVersion}'");
                }
                if (info.Dimensions != dimensions)
                {
                    throw new TrackStoreException($"collection {name} has {info.Dimensions} dimensions, not {dimensions}");
                }
                return open ?? Load(info);
            }
            return await CreateAsync(new CollectionInfo(name, modelVersion, dimensions)).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<ITrackStore?> GetActiveAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_catalog.ActiveName() is not { } name)
            {
                return null;
            }
            return _open.TryGetValue(name, out var open) ? open : Load(_catalog.Find(name)!);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task ActivateAsync(string modelVersion, CancellationToken cancellationToken = default)
    {
        var name = CollectionInfo.NameFor(modelVersion);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_catalog.Find(name)?.ModelVersion != modelVersion)
            {
                throw new TrackStoreException($"there is no collection of model version '{modelVersion}' to activate");
            }
            _catalog.Activate(name);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<CollectionInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _catalog.List();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task DropAsync(string modelVersion, CancellationToken cancellationToken = default)
    {
        var name = CollectionInfo.NameFor(modelVersion);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_catalog.Find(name)?.ModelVersion != modelVersion)
            {
                return;
            }
            if (_catalog.ActiveName() == name)
            {
                throw new TrackStoreException($"collection {name} is the active one; activate another before dropping it");
            }
            // The catalog row goes first: if the process dies before the files are gone, they are a leftover that the
            // next create of this collection deletes, never a collection that comes back.
            _catalog.Remove(name);
            if (_open.Remove(name, out var store))
            {
                await store.CloseAsync(() => new TrackStoreException($"collection {name} was dropped")).ConfigureAwait(false);
            }
            DeleteFiles(name);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            foreach (var store in _open.Values)
            {
                await store.CloseAsync(() => new ObjectDisposedException(nameof(EmbeddedTrackCollections))).ConfigureAwait(false);
            }
            _open.Clear();
            _catalog.Dispose();
            await _lock.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static FileStream Lock(string directory)
    {
        try
        {
            System.IO.Directory.CreateDirectory(directory);
            // FileShare.None takes an exclusive flock on Unix, released by the kernel whenever the process ends.
            return new FileStream(Path.Combine(directory, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException exception)
        {
            throw new TrackStoreUnavailableException($"cannot lock the store in {directory} (is another process using it?): {exception.Message}", exception);
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new TrackStoreUnavailableException($"cannot use the store directory {directory}: {exception.Message}", exception);
        }
    }

    private string FileOf(string name) => Path.Combine(Directory, name + ".db");

    private EmbeddedTrackStore Load(CollectionInfo info)
    {
        var store = EmbeddedTrackStore.Open(FileOf(info.Name), info, _options);
        _open.Add(info.Name, store);
        return store;
    }

    /// <summary>
    /// Creates the file first and the catalog row last: until the row is committed the collection does not exist, and
    /// a file left by a crash in between is deleted here the next time.
    /// </summary>
    private async Task<EmbeddedTrackStore> CreateAsync(CollectionInfo info)
    {
        DeleteFiles(info.Name);
        var store = Load(info);
        try
        {
            _catalog.Add(info);
            return store;
        }
        catch
        {
            _open.Remove(info.Name);
            await store.CloseAsync(() => new TrackStoreException($"collection {info.Name} could not be created")).ConfigureAwait(false);
            DeleteFiles(info.Name);
            throw;
        }
    }

    private void DeleteFiles(string name)
    {
        try
        {
            SqliteFiles.Delete(FileOf(name));
        }
        catch (Exception exception) when (StoreErrors.IsStorageFailure(exception))
        {
            throw StoreErrors.Translate(exception, $"deleting the files of {name}");
        }
    }
}

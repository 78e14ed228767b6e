using System.Diagnostics.CodeAnalysis;
using MusicSearch.Core.Catalog;

namespace MusicSearch.Core.Storage.Embedded;

/// <summary>
/// One collection of the embedded store: a <see cref="TrackDatabase"/> (durable truth, text search, listings) and a
/// <see cref="TrackIndex"/> (vectors and filter payload in memory, exact SIMD search). A write batch is one SQLite
/// transaction; only after it commits is the index changed, under its write lock, so a search sees every change of a
/// batch or none. Writers are serialised; searches run concurrently with each other.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "The locks outlive CloseAsync on purpose: a search racing with the close fails with the store's error, not on a disposed lock.")]
internal sealed class EmbeddedTrackStore : ITrackStore
{
    private readonly TrackDatabase _database;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ReaderWriterLockSlim _indexLock = new(LockRecursionPolicy.NoRecursion);
    private readonly SearchSettings _settings;
    private readonly TimeProvider _time;
    private readonly int _compactionMinimum;
    private TrackIndex _index;
    private Func<Exception>? _closed;

    private EmbeddedTrackStore(TrackDatabase database, TrackIndex index, EmbeddedStoreOptions options)
    {
        _database = database;
        _index = index;
        _settings = new SearchSettings(options.SearchThreads, options.QuantizedOversampling);
        _time = options.TimeProvider;
        _compactionMinimum = options.CompactionMinimum;
    }

    public CollectionInfo Info => _database.Info;

    /// <summary>Opens the file of a collection (creating it if missing) and loads its vectors into memory.</summary>
    public static EmbeddedTrackStore Open(string path, CollectionInfo info, EmbeddedStoreOptions options)
    {
        var database = TrackDatabase.Open(path, info);
        try
        {
            return new EmbeddedTrackStore(database, database.LoadIndex(), options);
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    public Task<IReadOnlyList<WriteOutcome>> UpsertAsync(IReadOnlyList<TrackPoint> points, CancellationToken cancellationToken = default) =>
        WriteAsync(points, point => TrackChange.From(point, Info.Dimensions), cancellationToken);

    public Task<IReadOnlyList<WriteOutcome>> MarkPendingAsync(IReadOnlyList<PendingTrack> tracks, CancellationToken cancellationToken = default) =>
        WriteAsync(tracks, TrackChange.From, cancellationToken);

    public Task<IReadOnlyList<WriteOutcome>> MarkFailedAsync(IReadOnlyList<TrackFailure> failures, CancellationToken cancellationToken = default) =>
        WriteAsync(failures, TrackChange.From, cancellationToken);

    public Task<IReadOnlyList<WriteOutcome>> RemoveAsync(IReadOnlyList<TrackRemoval> removals, CancellationToken cancellationToken = default) =>
        WriteAsync(removals, TrackChange.From, cancellationToken);

    public Task<TrackRecord?> GetAsync(TrackId id, bool withVectors = false, CancellationToken cancellationToken = default) => Run(() =>
    {
        if (id == default)
        {
            throw new ArgumentException("the track id is uninitialised", nameof(id));
        }
        return _database.Get(id, withVectors);
    }, cancellationToken);

    public Task<IReadOnlyList<SimilarTrack>> SearchAsync(SimilarityQuery query, CancellationToken cancellationToken = default) => Run(() =>
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        return ReadIndex(query.Precision == SearchPrecision.Quantized, index => IndexSearch.Similar(index, query, _settings));
    }, cancellationToken);

    /// <summary>
    /// The whole batch reads one state of the index under one read lock (writes wait for it, so a page of queries
    /// should stay a page); see <see cref="BatchSearch"/> for how queries share scans.
    /// </summary>
    public Task<IReadOnlyList<IReadOnlyList<SimilarTrack>>> SearchBatchAsync(IReadOnlyList<SimilarityQuery> queries,
        CancellationToken cancellationToken = default) => Run<IReadOnlyList<IReadOnlyList<SimilarTrack>>>(() =>
    {
        ArgumentNullException.ThrowIfNull(queries);
        foreach (var query in queries)
        {
            ArgumentNullException.ThrowIfNull(query, nameof(queries));
            query.Validate();
        }
        return ReadIndex(queries.Any(query => query.Precision == SearchPrecision.Quantized), index => BatchSearch.Similar(index, queries, _settings));
    }, cancellationToken);

    public Task<IReadOnlyList<WindowMatch>> SearchWindowsAsync(WindowQuery query, CancellationToken cancellationToken = default) => Run(() =>
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate(Info.Dimensions);
        return ReadIndex(quantized: false, index => IndexSearch.Windows(index, query, _settings));
    }, cancellationToken);

    public Task<IReadOnlyList<TextMatch>> SearchTextAsync(TextQuery query, CancellationToken cancellationToken = default) => Run(() =>
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        return FtsQuery.From(query.Text) is { } expression ? _database.SearchText(expression, query.Filter, query.Limit) : [];
    }, cancellationToken);

    public Task<StatusCounts> CountAsync(CancellationToken cancellationToken = default) => Run(_database.Count, cancellationToken);

    public Task<TrackPage> ListAsync(TrackListQuery query, CancellationToken cancellationToken = default) => Run(() =>
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        return _database.List(query);
    }, cancellationToken);

    /// <summary>
    /// Waits for the write in progress, then closes the file and frees the index; later calls throw what
    /// <paramref name="error"/> makes.
    /// </summary>
    public async Task CloseAsync(Func<Exception> error)
    {
        await _writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_closed is not null)
            {
                return;
            }
            _closed = error;
            _database.Dispose();
            _indexLock.EnterWriteLock();
            try
            {
                _index = new TrackIndex(Info.Dimensions);
            }
            finally
            {
                _indexLock.ExitWriteLock();
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Runs a synchronous read as a task: the work is CPU or a local file read, so it runs on the caller's thread, and
    /// its failure becomes the task's like an async method's would.
    /// </summary>
    private Task<T> Run<T>(Func<T> read, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }
        try
        {
            ThrowIfClosed();
            return Task.FromResult(read());
        }
        catch (Exception exception) when (exception is ArgumentException or TrackStoreException or ObjectDisposedException)
        {
            return Task.FromException<T>(exception);
        }
    }

    private async Task<IReadOnlyList<WriteOutcome>> WriteAsync<T>(IReadOnlyList<T> items, Func<T, TrackChange> change,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        // Every item is validated before anything is written: a bad one rejects the whole batch.
        var changes = items.Select(change).ToList();
        ThrowIfClosed();
        if (changes.Count == 0)
        {
            return [];
        }
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfClosed();
            cancellationToken.ThrowIfCancellationRequested();
            var outcomes = _database.Apply(changes, _time.GetUtcNow());
            ApplyToIndex(changes, outcomes);
            CompactIfNeeded();
            return outcomes;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private void ApplyToIndex(List<TrackChange> changes, IReadOnlyList<WriteOutcome> outcomes)
    {
        _indexLock.EnterWriteLock();
        try
        {
            for (var i = 0; i < changes.Count; i++)
            {
                if (outcomes[i] != WriteOutcome.Applied)
                {
                    continue;
                }
                var change = changes[i];
                switch (change.Kind)
                {
                    case ChangeKind.Index:
                        _index.Put(change.Track!, change.Vectors!);
                        break;
                    case ChangeKind.Pending:
                        _index.UpdatePayload(change.Track!);
                        break;
                    default:
                        _index.Remove(change.Id);
                        break;
                }
            }
        }
        finally
        {
            _indexLock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Rebuilds the index without dead rows once they dominate. The copy is made under the read lock (searches go on;
    /// no write can start, this thread holds the write gate); only the swap takes the write lock.
    /// </summary>
    private void CompactIfNeeded()
    {
        TrackIndex compacted;
        _indexLock.EnterReadLock();
        try
        {
            if (!_index.NeedsCompaction(_compactionMinimum))
            {
                return;
            }
            compacted = _index.Compacted();
        }
        finally
        {
            _indexLock.ExitReadLock();
        }
        _indexLock.EnterWriteLock();
        try
        {
            _index = compacted;
        }
        finally
        {
            _indexLock.ExitWriteLock();
        }
    }

    /// <summary>Runs a read under the index's read lock, first calibrating int8 codes if a quantized search needs them.</summary>
    private T ReadIndex<T>(bool quantized, Func<TrackIndex, T> read)
    {
        while (true)
        {
            _indexLock.EnterReadLock();
            try
            {
                if (!quantized || _index.HasFreshInt8Codes || _index.Tracks.Count == 0)
                {
                    return read(_index);
                }
            }
            finally
            {
                _indexLock.ExitReadLock();
            }
            _indexLock.EnterWriteLock();
            try
            {
                if (!_index.HasFreshInt8Codes && _index.Tracks.Count > 0)
                {
                    _index.CalibrateInt8Codes();
                }
            }
            finally
            {
                _indexLock.ExitWriteLock();
            }
        }
    }

    private void ThrowIfClosed()
    {
        if (_closed is { } error)
        {
            throw error();
        }
    }
}

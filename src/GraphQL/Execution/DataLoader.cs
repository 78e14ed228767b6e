namespace MusicSearch.GraphQL.Execution;

/// <summary>Loads values for many keys at once; keys without a value are left out of the result.</summary>
public delegate Task<IReadOnlyDictionary<TKey, TValue>> BatchLoad<TKey, TValue>(IReadOnlyList<TKey> keys, CancellationToken cancellationToken)
    where TKey : notnull;

public sealed record DataLoaderOptions
{
    public static readonly DataLoaderOptions Default = new();

    /// <summary>Keys per call of the batch function; more keys in one tick make several calls.</summary>
    public int MaxBatchSize { get; init; } = 1_000;
}

/// <summary>
/// Batches and caches loads for one request (the DataLoader pattern): every <see cref="LoadAsync"/> made while the
/// executor is busy is queued, and once it has nothing else to do, the queued keys go to the batch function in one
/// call. Each key is loaded at most once per request. Get one from <see cref="FieldContext.DataLoader{TKey,TValue}"/>.
/// </summary>
public sealed class DataLoader<TKey, TValue> : IDataLoader
    where TKey : notnull
{
    private readonly BatchLoad<TKey, TValue> _batch;
    private readonly DataLoaderOptions _options;
    private readonly DataLoaderScope _scope;
    private readonly CancellationToken _cancellationToken;
    private readonly Dictionary<TKey, Task<TValue?>> _cache = [];
    private readonly List<(TKey Key, TaskCompletionSource<TValue?> Result)> _queue = [];

    internal DataLoader(BatchLoad<TKey, TValue> batch, DataLoaderOptions options, DataLoaderScope scope, CancellationToken cancellationToken)
    {
        _batch = batch;
        _options = options;
        _scope = scope;
        _cancellationToken = cancellationToken;
    }

    /// <summary>The value for <paramref name="key"/>, or default when the batch function returned none.</summary>
    public Task<TValue?> LoadAsync(TKey key)
    {
        Task<TValue?> task;
        bool firstInTick;
        lock (_cache)
        {
            if (_cache.TryGetValue(key, out var cached))
            {
                return cached;
            }

            var result = new TaskCompletionSource<TValue?>(TaskCreationOptions.RunContinuationsAsynchronously);
            _queue.Add((key, result));
            firstInTick = _queue.Count == 1;
            task = _cache[key] = result.Task;
        }

        if (firstInTick)
        {
            _scope.KeyQueued();
        }

        return task;
    }

    bool IDataLoader.Dispatch()
    {
        (TKey Key, TaskCompletionSource<TValue?> Result)[] queued;
        lock (_cache)
        {
            queued = [.. _queue];
            _queue.Clear();
        }

        foreach (var batch in queued.Chunk(_options.MaxBatchSize))
        {
            _ = RunBatchAsync(batch);
        }

        return queued.Length > 0;
    }

    private async Task RunBatchAsync((TKey Key, TaskCompletionSource<TValue?> Result)[] batch)
    {
        try
        {
            var values = await _batch([.. batch.Select(item => item.Key)], _cancellationToken).ConfigureAwait(false);
            foreach (var (key, result) in batch)
            {
                result.SetResult(values.TryGetValue(key, out var value) ? value : default);
            }
        }
        catch (Exception exception)
        {
            // Every key of the batch fails with the batch's error; the resolvers awaiting them report it.
            foreach (var (_, result) in batch)
            {
                result.TrySetException(exception);
            }
        }
    }
}

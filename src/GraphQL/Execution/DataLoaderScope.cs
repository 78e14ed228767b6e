namespace MusicSearch.GraphQL.Execution;

/// <summary>The data loaders of one request, by name; the execution pump asks it to dispatch what they have queued.</summary>
public sealed class DataLoaderScope
{
    private readonly Dictionary<string, IDataLoader> _loaders = new(StringComparer.Ordinal);
    private readonly CancellationToken _cancellationToken;

    internal DataLoaderScope(CancellationToken cancellationToken) => _cancellationToken = cancellationToken;

    /// <summary>The loader named <paramref name="name"/>, created with <paramref name="batch"/> on first use in this request.</summary>
    public DataLoader<TKey, TValue> GetOrAdd<TKey, TValue>(string name, BatchLoad<TKey, TValue> batch, DataLoaderOptions? options = null)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(batch);
        lock (_loaders)
        {
            if (_loaders.TryGetValue(name, out var existing))
            {
                return existing as DataLoader<TKey, TValue> ?? throw new InvalidOperationException(
                    $"The data loader \"{name}\" already exists with other key or value types.");
            }

            var loader = new DataLoader<TKey, TValue>(batch, options ?? DataLoaderOptions.Default, this, _cancellationToken);
            _loaders[name] = loader;
            return loader;
        }
    }

    /// <summary>
    /// Set by the execution pump: wakes it when a load is queued from outside it (a resolver that went on after
    /// ConfigureAwait(false), say), since the pump only dispatches once it has run out of work.
    /// </summary>
    internal Action? Wake { get; set; }

    internal void KeyQueued() => Wake?.Invoke();

    /// <summary>Starts a batch in every loader with queued keys; false when none had any.</summary>
    internal bool DispatchPending()
    {
        IDataLoader[] loaders;
        lock (_loaders)
        {
            loaders = [.. _loaders.Values];
        }

        var dispatched = false;
        foreach (var loader in loaders)
        {
            dispatched |= loader.Dispatch();
        }

        return dispatched;
    }
}

internal interface IDataLoader
{
    /// <summary>Starts one batch for the keys queued so far; false when there were none.</summary>
    bool Dispatch();
}

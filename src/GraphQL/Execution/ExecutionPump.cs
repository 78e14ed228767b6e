using System.Threading.Channels;

namespace MusicSearch.GraphQL.Execution;

/// <summary>
/// Runs one operation's execution the way JavaScript's event loop runs graphql-js: executor code only ever runs on
/// the pump, one continuation at a time, while resolvers' I/O proceeds concurrently elsewhere. When nothing is left
/// to run and work is still pending, the pump dispatches the data loaders' queued keys, so that every load requested
/// in one "tick" (sibling list items, say) goes out as one batch.
/// </summary>
/// <remarks>
/// The executor's awaits therefore keep their synchronization context (no ConfigureAwait(false)): that is what
/// brings their continuations back here. Its state needs no locks.
/// </remarks>
internal sealed class ExecutionPump : SynchronizationContext
{
    // Created on first use: an operation whose resolvers all complete synchronously never needs it.
    private Channel<(SendOrPostCallback Callback, object? State)>? _queue;

    private Channel<(SendOrPostCallback Callback, object? State)> Queue => LazyInitializer.EnsureInitialized(ref _queue,
        () => Channel.CreateUnbounded<(SendOrPostCallback, object?)>(new UnboundedChannelOptions { SingleReader = true }));

    public override void Post(SendOrPostCallback d, object? state) => Queue.Writer.TryWrite((d, state));

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("The execution pump runs continuations asynchronously only.");

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Starts <paramref name="start"/> on the pump and runs continuations until it completes.</summary>
    public async Task<T> RunAsync<T>(Func<ValueTask<T>> start, DataLoaderScope loaders, CancellationToken cancellationToken)
    {
        loaders.Wake = () => Post(static _ => { }, null);
        var work = RunHere(start);
        if (work.IsCompleted)
        {
            return work.Result;
        }

        var pending = work.AsTask();
        while (!pending.IsCompleted)
        {
            RunHere(Drain);
            if (pending.IsCompleted)
            {
                break;
            }

            if (!RunHere(loaders.DispatchPending))
            {
                await Queue.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return await pending.ConfigureAwait(false);
    }

    private bool Drain()
    {
        while (Queue.Reader.TryRead(out var item))
        {
            item.Callback(item.State);
        }

        return true;
    }

    /// <summary>Calls <paramref name="action"/> with the pump as the current synchronization context.</summary>
    private TResult RunHere<TResult>(Func<TResult> action)
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            return action();
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }
}

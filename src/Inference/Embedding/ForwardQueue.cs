using System.Threading.Channels;
using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Models;

namespace MusicSearch.Inference.Embedding;

/// <summary>
/// The one consumer of an encoder: windows from any number of callers queue here, and a single worker runs them
/// through the encoder, so forward passes are serialised without a lock (a backend and a workspace take one
/// caller at a time). Consecutive queued windows of equal length, from one track or several, share a forward
/// pass of up to <see cref="BatchSize"/> clips; a window of another length (a final partial one) starts a new
/// pass. The worker takes what is queued and never waits for a batch to fill, so batching adds no latency.
/// <para>
/// The worker owns one workspace: a second would only hold memory, since passes never overlap. It grows to the
/// largest batch seen and is reused from then on; <see cref="WorkspacePeakBytes"/> reports it.
/// </para>
/// </summary>
internal sealed class ForwardQueue : IDisposable
{
    private readonly IAudioEncoder _encoder;
    private readonly Workspace _workspace;
    private readonly Channel<WindowRequest> _channel = Channel.CreateUnbounded<WindowRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string[] _hiddenStateNames;
    private readonly Task _worker;
    private long _workspacePeak;
    private long _passes;
    private volatile bool _stopping;

    public ForwardQueue(IAudioEncoder encoder, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        _encoder = encoder;
        BatchSize = batchSize;
        _workspace = encoder.Backend.CreateWorkspace();
        _hiddenStateNames = Enumerable.Range(0, encoder.HiddenStateCount).Select(k => $"hidden.{k}").ToArray();
        _worker = Task.Run(RunAsync);
    }

    public int BatchSize { get; }

    public long WorkspacePeakBytes => Interlocked.Read(ref _workspacePeak);

    public long PassCount => Interlocked.Read(ref _passes);

    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public void Enqueue(WindowRequest request)
    {
        ObjectDisposedException.ThrowIf(!_channel.Writer.TryWrite(request), typeof(AudioEmbedder));
    }

    private async Task RunAsync()
    {
        var reader = _channel.Reader;
        var batch = new List<WindowRequest>(BatchSize);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            TakeBatch(reader, batch);
            if (batch.Count == 0)
            {
                continue;
            }
            if (_stopping)
            {
                batch.ForEach(request => request.Fail(new ObjectDisposedException(nameof(AudioEmbedder))));
                continue;
            }
            Run(batch);
        }
    }

    /// <summary>
    /// Fills <paramref name="batch"/> with queued windows of the first one's length, cancelling (and skipping) those
    /// whose caller gave up; empty when every queued window was cancelled.
    /// </summary>
    private void TakeBatch(ChannelReader<WindowRequest> reader, List<WindowRequest> batch)
    {
        batch.Clear();
        while (batch.Count < BatchSize && reader.TryPeek(out var next)
               && (batch.Count == 0 || next.Samples.Length == batch[0].Samples.Length) && reader.TryRead(out next))
        {
            if (next.Cancellation.IsCancellationRequested)
            {
                next.Cancel();
            }
            else
            {
                batch.Add(next);
            }
        }
    }

    private void Run(List<WindowRequest> batch)
    {
        try
        {
            Forward(batch);
            batch.ForEach(request => request.Complete());
        }
#pragma warning disable CA1031 // The worker must survive any failure of a pass and hand it to that pass's callers.
        catch (Exception error)
#pragma warning restore CA1031
        {
            batch.ForEach(request => request.Fail(error));
        }
        finally
        {
            Interlocked.Increment(ref _passes);
            _workspace.Reset();
            Interlocked.Exchange(ref _workspacePeak, _workspace.PeakBytes);
        }
    }

    private void Forward(List<WindowRequest> batch)
    {
        var backend = _encoder.Backend;
        var (count, length, hidden) = (batch.Count, batch[0].Samples.Length, _encoder.HiddenSize);
        var lastHiddenState = batch.Max(request => request.LastHiddenState);
        var waveforms = _workspace.Allocate(count, length);
        for (var i = 0; i < count; i++)
        {
            backend.Upload(batch[i].Samples.Span, waveforms.Slice(i, 1));
        }
        var means = new float[count * hidden];
        _encoder.Forward(waveforms, lastHiddenState, _workspace, (name, value) =>
        {
            var k = HiddenStateIndex(name);
            if (k < 0 || !batch.Exists(request => request.Wants(k)))
            {
                return;
            }
            using var scope = _workspace.BeginScope();
            var pooled = _workspace.Allocate(count, hidden);
            backend.MeanOverTime(value, pooled);
            backend.Download(pooled, means);
            for (var i = 0; i < count; i++)
            {
                if (batch[i].Wants(k))
                {
                    batch[i].Store(k, means.AsSpan(i * hidden, hidden));
                }
            }
        });
    }

    /// <summary>k for <c>hidden.{k}</c>, −1 for any other intermediate.</summary>
    private int HiddenStateIndex(string name) => Array.IndexOf(_hiddenStateNames, name);

    public void Dispose()
    {
        if (!_channel.Writer.TryComplete())
        {
            return;
        }
        _stopping = true;
        _worker.GetAwaiter().GetResult();
        _workspace.Dispose();
    }
}

using Microsoft.Extensions.Options;
using MusicSearch.Indexing.Pipeline;

namespace MusicSearch.Api.Operations;

/// <summary>Tracks (indexed or failed) and windows per second processed by this process, averaged over the last <see cref="ThroughputOptions.Window"/>.</summary>
public sealed record Throughput(double TracksPerSecond, double WindowsPerSecond, TimeSpan Over);

/// <summary>
/// Samples the pipeline's totals (<see cref="IndexerMetrics.Totals"/>) every <see cref="ThroughputOptions.SampleInterval"/>
/// and keeps the samples of the last <see cref="ThroughputOptions.Window"/>: throughput is the difference between the
/// newest and the oldest over the time between them, the same figure as Prometheus' <c>rate()</c> over that window.
/// </summary>
public sealed class ThroughputSampler(IndexerMetrics metrics, TimeProvider time, IOptions<ThroughputOptions> options) : BackgroundService
{
    private readonly Lock _gate = new();
    private readonly Queue<(DateTimeOffset At, long Tracks, long Windows)> _samples = new();

    /// <summary>Null until two samples exist (one interval after start).</summary>
    public Throughput? Current
    {
        get
        {
            lock (_gate)
            {
                if (_samples.Count < 2)
                {
                    return null;
                }
                var oldest = _samples.Peek();
                var newest = _samples.Last();
                var seconds = (newest.At - oldest.At).TotalSeconds;
                return new Throughput((newest.Tracks - oldest.Tracks) / seconds, (newest.Windows - oldest.Windows) / seconds, newest.At - oldest.At);
            }
        }
    }

    /// <summary>Takes one sample now and forgets those older than the window.</summary>
    public void Sample()
    {
        var totals = metrics.Totals;
        var now = time.GetUtcNow();
        lock (_gate)
        {
            _samples.Enqueue((now, totals.Indexed + totals.Failed, totals.Windows));
            while (_samples.Count > 2 && now - _samples.Peek().At > options.Value.Window)
            {
                _samples.Dequeue();
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SampleInterval, time);
        do
        {
            Sample();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}

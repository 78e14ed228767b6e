using System.Diagnostics.Metrics;

namespace MusicSearch.Indexing.Pipeline;

/// <summary>
/// The indexing pipeline's instruments (meter <c>MusicSearch.Indexer</c>). Rates such as tracks/s and windows/s are
/// <c>rate()</c> over the counters; the stage histograms show where the time goes.
/// </summary>
public sealed class IndexerMetrics
{
    public const string MeterName = "MusicSearch.Indexer";

    private static readonly InstrumentAdvice<double> StageBuckets = new() { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120] };

    private readonly Counter<long> _indexed;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _windows;
    private readonly Counter<double> _audioSeconds;
    private readonly Histogram<double> _decode;
    private readonly Histogram<double> _embed;
    private readonly Histogram<double> _store;
    private readonly Histogram<double> _batch;
    private long _inFlight;

    private long _indexedCount;
    private long _failedCount;
    private long _windowCount;
    private long _decodeTicks;
    private long _embedTicks;
    private long _storeTicks;

    public IndexerMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _indexed = meter.CreateCounter<long>("musicsearch.indexer.tracks.indexed", "{track}", "Tracks embedded and stored.");
        _failed = meter.CreateCounter<long>("musicsearch.indexer.tracks.failed", "{track}", "Tracks that could not be indexed, by reason code and whether the failure is permanent.");
        _windows = meter.CreateCounter<long>("musicsearch.indexer.windows", "{window}", "Analysis windows embedded.");
        _audioSeconds = meter.CreateCounter<double>("musicsearch.indexer.audio", "s", "Seconds of audio decoded and embedded.");
        _decode = meter.CreateHistogram("musicsearch.indexer.decode.duration", "s", "Time to decode one track to PCM.", advice: StageBuckets);
        _embed = meter.CreateHistogram("musicsearch.indexer.embed.duration", "s", "Time from handing one track's PCM to the model until its vectors are back (queueing included).", advice: StageBuckets);
        _store = meter.CreateHistogram("musicsearch.indexer.store.duration", "s", "Time of one store write, by operation.", advice: StageBuckets);
        _batch = meter.CreateHistogram("musicsearch.indexer.batch.duration", "s", "Time to index one batch of messages end to end.", advice: StageBuckets);
        meter.CreateObservableGauge("musicsearch.indexer.in_flight", () => Interlocked.Read(ref _inFlight), "{message}", "IndexTrack messages being processed by this worker now.");
    }

    /// <summary>
    /// Totals since this process started, for a one-off run's summary (the CLI's <c>index</c>) and the Api's throughput;
    /// hosts export the instruments as well.
    /// </summary>
    public StageTotals Totals => new(
        Interlocked.Read(ref _indexedCount),
        Interlocked.Read(ref _failedCount),
        Interlocked.Read(ref _windowCount),
        TimeSpan.FromTicks(Interlocked.Read(ref _decodeTicks)),
        TimeSpan.FromTicks(Interlocked.Read(ref _embedTicks)),
        TimeSpan.FromTicks(Interlocked.Read(ref _storeTicks)));

    /// <summary>IndexTrack messages being processed by this process now.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    public void TrackIndexed(int windows, double audioSeconds)
    {
        Interlocked.Increment(ref _indexedCount);
        Interlocked.Add(ref _windowCount, windows);
        _indexed.Add(1);
        _windows.Add(windows);
        _audioSeconds.Add(audioSeconds);
    }

    public void TrackFailed(IndexingFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        Interlocked.Increment(ref _failedCount);
        _failed.Add(1, new KeyValuePair<string, object?>("reason", failure.Code), new KeyValuePair<string, object?>("permanent", failure.Permanent));
    }

    public void Decoded(TimeSpan elapsed)
    {
        Interlocked.Add(ref _decodeTicks, elapsed.Ticks);
        _decode.Record(elapsed.TotalSeconds);
    }

    public void Embedded(TimeSpan elapsed)
    {
        Interlocked.Add(ref _embedTicks, elapsed.Ticks);
        _embed.Record(elapsed.TotalSeconds);
    }

    public void Stored(string operation, TimeSpan elapsed)
    {
        Interlocked.Add(ref _storeTicks, elapsed.Ticks);
        _store.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("operation", operation));
    }

    /// <summary>Counts a batch as in flight until the returned scope is disposed, then records its duration.</summary>
    public BatchScope StartBatch(int messages) => new(this, messages);

    public readonly struct BatchScope : IDisposable
    {
        private readonly IndexerMetrics _metrics;
        private readonly int _messages;
        private readonly long _started;

        internal BatchScope(IndexerMetrics metrics, int messages)
        {
            _metrics = metrics;
            _messages = messages;
            _started = System.Diagnostics.Stopwatch.GetTimestamp();
            Interlocked.Add(ref metrics._inFlight, messages);
        }

        public void Dispose()
        {
            Interlocked.Add(ref _metrics._inFlight, -_messages);
            _metrics._batch.Record(System.Diagnostics.Stopwatch.GetElapsedTime(_started).TotalSeconds);
        }
    }
}

/// <summary>
/// Where an indexing run's time went. Decode and embed times are summed over tracks processed in parallel (busy time,
/// which can exceed the wall time), and embed time includes waiting for the shared model.
/// </summary>
public sealed record StageTotals(long Indexed, long Failed, long Windows, TimeSpan Decode, TimeSpan Embed, TimeSpan Store);

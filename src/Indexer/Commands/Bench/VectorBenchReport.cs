using System.Text.Json.Serialization;

namespace MusicSearch.Indexer.Commands.Bench;

internal sealed record VectorBenchSettings(IReadOnlyList<int> Rows, IReadOnlyList<int> Dimensions, int Queries, int SingleQueries, int Threads,
    int K, int Oversample, int Repeats, int Seed, int BandwidthBufferMiB, bool WithFaiss)
{
    /// <summary>One thread and all of them: the two ends an operator chooses between.</summary>
    public IReadOnlyList<int> ThreadCounts => Threads == 1 ? [1] : [1, Threads];
}

/// <summary>The best seconds of one engine at one thread count: per single-query call, and per call with every query.</summary>
internal sealed record ScanSeconds(int Threads, double SinglePerQuery, double Batch);

/// <summary>One engine's timings at each thread count, and the top-k row ids of its batched search (one array per query).</summary>
internal sealed record ScanRun(IReadOnlyList<ScanSeconds> Seconds, [property: JsonIgnore] int[][] Ids)
{
    public ScanSeconds At(int threads) => Seconds.Single(s => s.Threads == threads);
}

/// <summary>A timing in the units of the report: how much of the machine's bandwidth the scan used.</summary>
internal sealed record ScanTiming(double MillisecondsPerQuery, double QueriesPerSecond, double GigabytesPerSecond, double PercentOfBandwidth)
{
    /// <param name="secondsPerCall">Time of one call.</param>
    /// <param name="queriesPerCall">Queries that call answered.</param>
    /// <param name="bytesPerCall">Bytes the call must read: the scanned representation once (a batched call reads it once for all).</param>
    /// <param name="bandwidth">The measured read bandwidth at the same thread count.</param>
    public static ScanTiming From(double secondsPerCall, int queriesPerCall, long bytesPerCall, MemoryBandwidth bandwidth)
    {
        var gigabytesPerSecond = bytesPerCall / secondsPerCall / 1e9;
        return new ScanTiming(1e3 * secondsPerCall / queriesPerCall, queriesPerCall / secondsPerCall, gigabytesPerSecond,
            100 * gigabytesPerSecond / bandwidth.GigabytesPerSecond);
    }
}

/// <summary>Every engine in one mode (<c>single</c>: one query per call; <c>batched</c>: all queries in one call) at one thread count.</summary>
internal sealed record ScanCase(string Mode, int Threads, ScanTiming OursFp32, ScanTiming OursInt8, ScanTiming? FaissFlat, ScanTiming? FaissSq8)
{
    /// <summary>How many times faster int8 + rescoring is than our fp32 scan.</summary>
    public double Int8SpeedUp => OursFp32.MillisecondsPerQuery / OursInt8.MillisecondsPerQuery;

    /// <summary>How many times faster our fp32 scan is than FAISS IndexFlatIP (above 1: ours is faster).</summary>
    public double? Fp32VersusFaiss => FaissFlat?.MillisecondsPerQuery / OursFp32.MillisecondsPerQuery;

    /// <summary>How many times faster our int8 + rescoring is than FAISS IndexScalarQuantizer QT_8bit.</summary>
    public double? Int8VersusFaiss => FaissSq8?.MillisecondsPerQuery / OursInt8.MillisecondsPerQuery;
}

/// <summary>Recall@k of each result set against our exact fp32 top-k, over every query of the batched searches.</summary>
internal sealed record RecallAtK(double OursInt8, double? FaissFlat, double? FaissSq8)
{
    public static double Of(int[][] exact, int[][] found)
    {
        var hits = 0;
        var total = 0;
        for (var q = 0; q < exact.Length; q++)
        {
            hits += exact[q].Intersect(found[q]).Count();
            total += exact[q].Length;
        }
        return total == 0 ? 1 : (double)hits / total;
    }
}

internal sealed record FaissInfo(string Engine, double LoadSeconds, double Sq8BuildSeconds, long PeakRssBytes);

internal sealed record VectorBenchCell(int Rows, int Dimensions, long Fp32Bytes, long Int8Bytes, IReadOnlyList<ScanCase> Scans, RecallAtK Recall,
    bool SingleEqualsBatched, FaissInfo? Faiss);

internal sealed record VectorBenchReport(VectorBenchSettings Settings, string Machine, IReadOnlyList<MemoryBandwidth> Bandwidth,
    IReadOnlyList<VectorBenchCell> Cells);

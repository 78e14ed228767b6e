namespace MusicSearch.Api.Operations;

/// <summary>How indexing throughput is measured (configuration section <c>Throughput</c>).</summary>
public sealed class ThroughputOptions
{
    public const string Section = "Throughput";

    /// <summary>How often the pipeline's counters are sampled.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The span throughput is averaged over (the oldest sample kept).</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

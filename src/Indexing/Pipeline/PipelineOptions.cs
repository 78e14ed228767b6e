namespace MusicSearch.Indexing.Pipeline;

/// <summary>How the indexing pipeline batches and bounds its work (configuration section <c>Indexer</c>).</summary>
public sealed class PipelineOptions
{
    public const string Section = "Indexer";

    /// <summary>The model package the worker embeds with; its version names the collection it writes.</summary>
    public string Package { get; set; } = "";

    /// <summary>Most <c>IndexTrack</c> messages per batch: one store write per batch, windows batched across its tracks.</summary>
    public int BatchMessageLimit { get; set; } = 16;

    /// <summary>How long a batch waits to fill up after its first message.</summary>
    public TimeSpan BatchTimeLimit { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Batches in progress at once per worker; the broker's prefetch is this times the batch size.</summary>
    public int BatchConcurrency { get; set; } = 1;

    /// <summary>Tracks decoded at once (each is one ffmpeg process).</summary>
    public int DecodeParallelism { get; set; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>At most this many windows per track, spread over the track (bounds the cost of very long tracks); 0 embeds every window.</summary>
    public int MaxWindowsPerTrack { get; set; } = 20;

    /// <summary>Windows of equal length per forward pass of the model, gathered across the tracks of a batch.</summary>
    public int EmbedBatch { get; set; } = 4;

    /// <summary>Compute threads of the model (OpenBLAS and the engine's kernels); 0 takes one per core.</summary>
    public int Threads { get; set; }

    /// <summary>How often a worker checks whether a catalog re-index into its model's collection is complete.</summary>
    public TimeSpan ReindexCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Tracks per page when a re-index walks the active collection.</summary>
    public int ReindexPageSize { get; set; } = 500;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        Check(BatchMessageLimit is >= 1 and <= 1000, $"Indexer:BatchMessageLimit must be in [1, 1000], got {BatchMessageLimit}");
        Check(BatchTimeLimit > TimeSpan.Zero, $"Indexer:BatchTimeLimit must be positive, got {BatchTimeLimit}");
        Check(BatchConcurrency is >= 1 and <= 64, $"Indexer:BatchConcurrency must be in [1, 64], got {BatchConcurrency}");
        Check(DecodeParallelism is >= 1 and <= 256, $"Indexer:DecodeParallelism must be in [1, 256], got {DecodeParallelism}");
        Check(MaxWindowsPerTrack >= 0, $"Indexer:MaxWindowsPerTrack must not be negative, got {MaxWindowsPerTrack}");
        Check(EmbedBatch is >= 1 and <= 256, $"Indexer:EmbedBatch must be in [1, 256], got {EmbedBatch}");
        Check(Threads is >= 0 and <= 1024, $"Indexer:Threads must be in [0, 1024] (0: one per core), got {Threads}");
        Check(ReindexCheckInterval > TimeSpan.Zero, $"Indexer:ReindexCheckInterval must be positive, got {ReindexCheckInterval}");
        Check(ReindexPageSize is >= 1 and <= 1000, $"Indexer:ReindexPageSize must be in [1, 1000], got {ReindexPageSize}");

        static void Check(bool condition, string problem)
        {
            if (!condition)
            {
                throw new ArgumentException(problem);
            }
        }
    }
}

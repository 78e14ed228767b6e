namespace MusicSearch.Core.Storage.Embedded;

/// <summary>Settings of the embedded track store.</summary>
public sealed class EmbeddedStoreOptions
{
    /// <summary>The folder holding the store's files; created if missing. One process at a time may open it.</summary>
    public string Directory { get; set; } = "";

    /// <summary>Threads one similarity search may use; they only split collections of more than 16k rows per thread (16k / n for a batch of n queries).</summary>
    public int SearchThreads { get; set; } = Environment.ProcessorCount;

    /// <summary>Quantized searches rescore this many int8 candidates per result in fp32.</summary>
    public int QuantizedOversampling { get; set; } = 4;

    /// <summary>Stamps <see cref="Catalog.TrackState.UpdatedAt"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Vectors of replaced or removed tracks stay in memory until they outnumber both the live ones and this many; the
    /// matrices are then rebuilt without them.
    /// </summary>
    internal int CompactionMinimum { get; set; } = 4096;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory))
        {
            throw new ArgumentException("the embedded store needs a directory");
        }
        if (SearchThreads < 1)
        {
            throw new ArgumentException($"SearchThreads must be at least 1, got {SearchThreads}");
        }
        if (QuantizedOversampling is < 1 or > 100)
        {
            throw new ArgumentException($"QuantizedOversampling must be between 1 and 100, got {QuantizedOversampling}");
        }
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}

namespace MusicSearch.Inference.Embedding;

/// <summary>
/// A track's embedding (ARCHITECTURE.md §5): <see cref="Vector"/> is the mean of the windows' raw means,
/// L2-normalised, the vector a store indexes per track; <see cref="Windows"/> in track order.
/// </summary>
/// <param name="Vector">Unit-length track vector, [hidden].</param>
/// <param name="Windows">The embedded windows, by start offset.</param>
/// <param name="ModelVersion">The package version; vectors of different versions never mix.</param>
/// <param name="Layer">The hidden state that was pooled.</param>
public sealed record TrackEmbedding(float[] Vector, IReadOnlyList<WindowEmbedding> Windows, string ModelVersion, int Layer)
{
    /// <summary>Samples of the whole track.</summary>
    public int SampleCount { get; init; }

    public int SampleRate { get; init; }

    public double DurationSeconds => SampleRate == 0 ? 0 : (double)SampleCount / SampleRate;

    /// <summary>With <see cref="EmbeddingOptions.AllLayers"/>: one unit-length track vector per hidden state, indexed by hidden state; otherwise null.</summary>
    public IReadOnlyList<float[]>? LayerVectors { get; init; }
}

namespace MusicSearch.Inference.Embedding;

/// <summary>
/// One window of a track: where it lies, and its mean-pooled hidden state.
/// <para>
/// <see cref="Vector"/> (L2-normalised) is what a store indexes for segment search and "why similar" explanations:
/// similarity is cosine everywhere, which on unit vectors is a dot product. <see cref="Mean"/> is the raw mean
/// over time, the quantity the track vector averages (so loud and quiet windows weigh by their activations,
/// as in the embedding definition) and the one the PyTorch reference computes.
/// </para>
/// </summary>
/// <param name="StartSample">First sample of the window in the track.</param>
/// <param name="SampleCount">Samples in the window (shorter than the package's window for a final partial one).</param>
/// <param name="StartSeconds">Start offset in seconds.</param>
/// <param name="DurationSeconds">Length in seconds.</param>
/// <param name="Mean">Mean over time of the configured hidden state, [hidden].</param>
/// <param name="Vector"><paramref name="Mean"/> L2-normalised.</param>
public sealed record WindowEmbedding(int StartSample, int SampleCount, double StartSeconds, double DurationSeconds, float[] Mean, float[] Vector)
{
    /// <summary>With <see cref="EmbeddingOptions.AllLayers"/>: the raw mean of every hidden state, indexed by hidden state; otherwise null.</summary>
    public IReadOnlyList<float[]>? LayerMeans { get; init; }
}

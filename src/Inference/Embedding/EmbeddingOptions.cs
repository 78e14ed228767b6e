namespace MusicSearch.Inference.Embedding;

/// <summary>What <see cref="AudioEmbedder.EmbedAsync"/> computes for one track; the defaults are the package's embedding definition.</summary>
public sealed record EmbeddingOptions
{
    public static EmbeddingOptions Default { get; } = new();

    /// <summary>The hidden state to mean-pool (0 = the frontend's output); null takes the package's <c>embedding.layer</c>.</summary>
    public int? Layer { get; init; }

    /// <summary>Also mean-pool every hidden state (<see cref="WindowEmbedding.LayerMeans"/>, <see cref="TrackEmbedding.LayerVectors"/>); runs every layer.</summary>
    public bool AllLayers { get; init; }

    /// <summary>
    /// At most this many windows per track, spread evenly from the start to the end of the track; null embeds
    /// every window. Bounds the cost of long tracks (a 2-hour track is 240 windows of 30 s).
    /// </summary>
    public int? MaxWindows { get; init; }
}

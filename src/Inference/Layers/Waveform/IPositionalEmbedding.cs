using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Tensors;

namespace MusicSearch.Inference.Layers.Waveform;

/// <summary>
/// The convolutional positional embedding in front of the transformer layers, the part where MERT (one
/// weight-normed convolution) and music2vec (a stack of plain ones) differ most.
/// </summary>
internal interface IPositionalEmbedding
{
    /// <summary>hidden ← hidden + pos(hidden) on [B, T, H]; temporaries come from <paramref name="workspace"/> and are freed.</summary>
    void AddTo(Tensor hidden, Workspace workspace);
}

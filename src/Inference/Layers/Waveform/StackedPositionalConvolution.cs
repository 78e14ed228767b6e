using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Models;
using MusicSearch.Inference.Packages;
using MusicSearch.Inference.Tensors;

namespace MusicSearch.Inference.Layers.Waveform;

/// <summary>
/// music2vec's positional embedding (MODEL_SPEC §4): num_conv_pos_embeddings layers of Conv1d(H → H, odd k,
/// pad k/2, groups, bias) → LayerNorm over the channels without affine parameters → GELU.
/// </summary>
internal sealed class StackedPositionalConvolution(IComputeBackend backend, PreparedConv1d[] layers) : IPositionalEmbedding
{
    // HF's nn.LayerNorm(hidden, elementwise_affine=False) keeps torch's default ε.
    private const float NormEpsilon = 1e-5f;

    public static StackedPositionalConvolution Load(IComputeBackend backend, SafeTensorsFile weights, WaveformTransformerConfig config)
    {
        var (hidden, kernel) = (config.HiddenSize, config.ConvPosKernelSize);
        var geometry = new Conv1dGeometry(hidden, hidden, kernel, 1, kernel / 2, kernel / 2, config.NumConvPosEmbeddingGroups);
        var layers = new PreparedConv1d[config.NumConvPosEmbeddings];
        for (var i = 0; i < layers.Length; i++)
        {
            layers[i] = backend.PrepareConv1d(weights, $"encoder.pos_conv_embed.layers.{i}.conv", geometry, hasBias: true);
        }
        return new(backend, layers);
    }

    public void AddTo(Tensor hidden, Workspace workspace)
    {
        using var scope = workspace.BeginScope();
        var (batch, frames, channels) = (hidden.Shape[0], hidden.Shape[1], hidden.Shape[2]);
        var current = workspace.Allocate(batch, channels, frames);
        var next = workspace.Allocate(batch, channels, frames);
        backend.Transpose(hidden, current);
        foreach (var layer in layers)
        {
            backend.Conv1d(current, layer, next, Activation.None);
            backend.LayerNormOverChannels(next, null, null, NormEpsilon, next);
            backend.Activate(next, Activation.Gelu, next);
            (current, next) = (next, current);
        }
        var transposed = next.Reshape(batch, frames, channels);
        backend.Transpose(current, transposed);
        backend.Add(hidden, transposed, hidden);
    }
}

using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Layers.Common;
using MusicSearch.Inference.Models;
using MusicSearch.Inference.Packages;
using MusicSearch.Inference.Tensors;

namespace MusicSearch.Inference.Layers.Waveform;

/// <summary>
/// MERT's positional embedding (MODEL_SPEC §3.2): pos = GELU(trim-last(WNConv1d(H → H, k, pad k/2, groups)(x))).
/// The weight norm is materialised once at load. With an even kernel, padding k/2 on the left and k/2 − 1 on
/// the right is the symmetric padding with the surplus last frame never computed.
/// </summary>
internal sealed class WeightNormPositionalConvolution(IComputeBackend backend, PreparedConv1d convolution) : IPositionalEmbedding
{
    private const string Prefix = "encoder.pos_conv_embed.conv";

    public static WeightNormPositionalConvolution Load(IComputeBackend backend, SafeTensorsFile weights, WaveformTransformerConfig config)
    {
        var (hidden, kernel) = (config.HiddenSize, config.NumConvPosEmbeddings);
        var weight = WeightFolding.MaterializeWeightNorm(
            CheckpointTensors.Floats(weights, Prefix + ".weight_g"), CheckpointTensors.Floats(weights, Prefix + ".weight_v"));
        var geometry = new Conv1dGeometry(hidden, hidden, kernel, 1, kernel / 2, kernel - 1 - kernel / 2, config.NumConvPosEmbeddingGroups);
        return new(backend, backend.PrepareConv1d(weight, CheckpointTensors.Floats(weights, Prefix + ".bias"), geometry));
    }

    public void AddTo(Tensor hidden, Workspace workspace)
    {
        using var scope = workspace.BeginScope();
        var (batch, frames, channels) = (hidden.Shape[0], hidden.Shape[1], hidden.Shape[2]);
        var input = workspace.Allocate(batch, channels, frames);
        var positions = workspace.Allocate(batch, channels, frames);
        backend.Transpose(hidden, input);
        backend.Conv1d(input, convolution, positions, Activation.Gelu);
        var transposed = input.Reshape(batch, frames, channels);
        backend.Transpose(positions, transposed);
        backend.Add(hidden, transposed, hidden);
    }
}

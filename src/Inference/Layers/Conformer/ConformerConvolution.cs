using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Layers.Common;
using MusicSearch.Inference.Packages;
using MusicSearch.Inference.Tensors;

namespace MusicSearch.Inference.Layers.Conformer;

/// <summary>
/// The Conformer's convolution module (MODEL_SPEC §2.5): LN → pointwise 1 → GLU → depthwise → BatchNorm → SiLU →
/// pointwise 2, added to the residual stream. The pointwise convolutions run as Linears on [B, T, C] (a k=1
/// Conv1d weight [out, in, 1] is a Linear weight), so only the depthwise convolution needs the [B, C, T] layout;
/// its BatchNorm is folded into it at load.
/// </summary>
internal sealed class ConformerConvolution(
    IComputeBackend backend, LayerNormWeights norm, PreparedLinear pointwise1, PreparedConv1d depthwise, PreparedLinear pointwise2)
{
    // nn.BatchNorm1d's default; the config's layer_norm_eps is for the LayerNorms only.
    private const double BatchNormEpsilon = 1e-5;

    public static ConformerConvolution Load(IComputeBackend backend, SafeTensorsFile weights, string prefix, int hidden, int kernel, double layerNormEpsilon)
    {
        var batchNorm = prefix + ".batch_norm";
        var (weight, bias) = WeightFolding.FoldBatchNorm(
            CheckpointTensors.Floats(weights, prefix + ".depthwise_conv.weight"),
            default,
            CheckpointTensors.Floats(weights, batchNorm + ".weight"),
            CheckpointTensors.Floats(weights, batchNorm + ".bias"),
            CheckpointTensors.Floats(weights, batchNorm + ".running_mean"),
            CheckpointTensors.Floats(weights, batchNorm + ".running_var"),
            BatchNormEpsilon);
        var geometry = new Conv1dGeometry(hidden, hidden, kernel, 1, kernel / 2, kernel / 2, hidden);
        return new(backend,
            LayerNormWeights.Load(backend, weights, prefix + ".layer_norm", layerNormEpsilon),
            backend.PrepareLinear(weights, prefix + ".pointwise_conv1"),
            backend.PrepareConv1d(weight, bias, geometry),
            backend.PrepareLinear(weights, prefix + ".pointwise_conv2"));
    }

    /// <summary>x ← x + ConvModule(x) on [B, T, H].</summary>
    public void Forward(Tensor x, Workspace workspace)
    {
        using var scope = workspace.BeginScope();
        var (batch, frames, hidden) = (x.Shape[0], x.Shape[1], x.Shape[2]);
        var h = workspace.Allocate(x.Shape);
        var gated = workspace.Allocate(x.Shape.WithLast(2 * hidden));
        var channels = workspace.Allocate(batch, hidden, frames);
        var convolved = workspace.Allocate(batch, hidden, frames);
        norm.Apply(x, h);
        backend.Linear(h, pointwise1, gated);
        backend.Glu(gated, -1, h);
        backend.Transpose(h, channels);
        backend.Conv1d(channels, depthwise, convolved, Activation.Silu);
        backend.Transpose(convolved, h);
        backend.Linear(h, pointwise2, x, residual: x);
    }
}

using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Layers.Common;
using MusicSearch.Inference.Packages;
using MusicSearch.Inference.Tensors;

namespace MusicSearch.Inference.Models.MusicFm;

/// <summary>
/// MusicFM's <c>Res2dModule</c> with a shortcut convolution (MODEL_SPEC §1.3): y = ReLU(BN2(conv2(ReLU(BN1(conv1(x)))))
/// + BN3(conv3(x))), all 3×3 with padding 1, conv1 and conv3 strided. Each BatchNorm is folded into its
/// convolution at load, so the block is three convolutions with fused epilogues.
/// </summary>
internal sealed class Res2dBlock(IComputeBackend backend, PreparedConv2d conv1, PreparedConv2d conv2, PreparedConv2d shortcut)
{
    // nn.BatchNorm2d's default.
    private const double BatchNormEpsilon = 1e-5;

    public Conv2dGeometry Geometry => conv1.Geometry;

    public static Res2dBlock Load(IComputeBackend backend, SafeTensorsFile weights, string prefix, int inChannels, int outChannels, int stride) =>
        new(backend,
            PrepareFolded(backend, weights, prefix, "conv1", "bn1", Conv2dGeometry.Square(inChannels, outChannels, 3, stride, 1)),
            PrepareFolded(backend, weights, prefix, "conv2", "bn2", Conv2dGeometry.Square(outChannels, outChannels, 3, 1, 1)),
            PrepareFolded(backend, weights, prefix, "conv3", "bn3", Conv2dGeometry.Square(inChannels, outChannels, 3, stride, 1)));

    /// <summary>x [B, C_in, H, W] → <paramref name="output"/> [B, C_out, ⌈H/s⌉, ⌈W/s⌉].</summary>
    public void Forward(Tensor x, Tensor output, Workspace workspace)
    {
        // The shortcut goes straight into the output, which conv2 then takes as its (in-place) residual.
        backend.Conv2d(x, shortcut, output);
        using var scope = workspace.BeginScope();
        var main = workspace.Allocate(output.Shape);
        backend.Conv2d(x, conv1, main, Activation.Relu);
        backend.Conv2d(main, conv2, output, Activation.Relu, residual: output);
    }

    private static PreparedConv2d PrepareFolded(
        IComputeBackend backend, SafeTensorsFile weights, string prefix, string conv, string batchNorm, Conv2dGeometry geometry)
    {
        var bn = $"{prefix}.{batchNorm}";
        var (weight, bias) = WeightFolding.FoldBatchNorm(
            CheckpointTensors.Floats(weights, $"{prefix}.{conv}.weight"),
            CheckpointTensors.Floats(weights, $"{prefix}.{conv}.bias"),
            CheckpointTensors.Floats(weights, bn + ".weight"),
            CheckpointTensors.Floats(weights, bn + ".bias"),
            CheckpointTensors.Floats(weights, bn + ".running_mean"),
            CheckpointTensors.Floats(weights, bn + ".running_var"),
            BatchNormEpsilon);
        return backend.PrepareConv2d(weight, bias, geometry);
    }
}

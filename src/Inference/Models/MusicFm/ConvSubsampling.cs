using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Packages;
using MusicSearch.Inference.Tensors;

namespace MusicSearch.Inference.Models.MusicFm;

/// <summary>
/// MusicFM's <c>Conv2dSubsampling</c> (MODEL_SPEC §1.3): the normalised mel [B, F, T] as one-channel images
/// through two stride-2 Res2d blocks to [B, C, ⌈⌈F/2⌉/2⌉, ⌈⌈T/2⌉/2⌉], flattened channel-major per time step
/// (feature c·F' + f) and projected by <c>conv.linear</c> to [B, T', H].
/// </summary>
internal sealed class ConvSubsampling(IComputeBackend backend, Res2dBlock first, Res2dBlock second, PreparedLinear linear)
{
    public static ConvSubsampling Load(IComputeBackend backend, SafeTensorsFile weights, MusicFmConfig config) =>
        new(backend,
            Res2dBlock.Load(backend, weights, "conv.conv.0", 1, config.ConvDim, 2),
            Res2dBlock.Load(backend, weights, "conv.conv.1", config.ConvDim, config.ConvDim, 2),
            backend.PrepareLinear(weights, "conv.linear"));

    /// <summary>Frames after the two stride-2 blocks: ⌈⌈frames/2⌉/2⌉.</summary>
    public int OutputLength(int frames) => second.Geometry.OutputWidth(first.Geometry.OutputWidth(frames));

    /// <summary>mel [B, F, T] → <paramref name="output"/> [B, T', H]; temporaries are freed before returning.</summary>
    public void Forward(Tensor mel, Tensor output, Workspace workspace)
    {
        using var scope = workspace.BeginScope();
        var (batch, bands, frames) = (mel.Shape[0], mel.Shape[1], mel.Shape[2]);
        var (g1, g2) = (first.Geometry, second.Geometry);
        var (bands1, frames1) = (g1.OutputHeight(bands), g1.OutputWidth(frames));
        var (bands2, frames2) = (g2.OutputHeight(bands1), g2.OutputWidth(frames1));
        var hidden1 = workspace.Allocate(batch, g1.OutChannels, bands1, frames1);
        first.Forward(mel.Reshape(batch, 1, bands, frames), hidden1, workspace);
        var hidden2 = workspace.Allocate(batch, g2.OutChannels, bands2, frames2);
        second.Forward(hidden1, hidden2, workspace);
        var flat = workspace.Allocate(batch, frames2, g2.OutChannels * bands2);
        backend.Transpose(hidden2.Reshape(batch, g2.OutChannels * bands2, frames2), flat);
        backend.Linear(flat, linear, output);
    }
}

using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Packages;
using MusicSearch.Inference.Tensors;

namespace MusicSearch.Inference.Layers.Common;

/// <summary>
/// The wav2vec2-family feed-forward block, Linear(H → F) → activation → Linear(F → H), with the checkpoint
/// names <c>{prefix}.intermediate_dense</c> and <c>{prefix}.output_dense</c>: SiLU in the Conformer (MusicFM),
/// GELU in MERT and music2vec.
/// </summary>
internal sealed class FeedForward(IComputeBackend backend, PreparedLinear intermediate, PreparedLinear output, Activation activation)
{
    public static FeedForward Load(IComputeBackend backend, SafeTensorsFile weights, string prefix, Activation activation) =>
        new(backend,
            backend.PrepareLinear(weights, prefix + ".intermediate_dense"),
            backend.PrepareLinear(weights, prefix + ".output_dense"),
            activation);

    /// <summary>
    /// result = residual + scale·FFN(input) on [.., H] (the Conformer's half step is scale ½);
    /// <paramref name="result"/> may be <paramref name="residual"/>, not <paramref name="input"/>. The [.., F]
    /// intermediate comes from <paramref name="workspace"/> and is freed before returning.
    /// </summary>
    public void Forward(Tensor input, Tensor residual, Tensor result, Workspace workspace, float scale = 1f)
    {
        using var scope = workspace.BeginScope();
        var wide = workspace.Allocate(input.Shape.WithLast(intermediate.OutFeatures));
        backend.Linear(input, intermediate, wide, activation);
        backend.Linear(wide, output, result, residual: residual, scale: scale);
    }
}

using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Layers.Common;
using MusicSearch.Inference.Packages;
using MusicSearch.Inference.Tensors;

namespace MusicSearch.Inference.Layers.Waveform;

/// <summary>Features [B, C, T] → frames [B, T, H]: transpose, LayerNorm(C), Linear(C → H) (MODEL_SPEC §3.2 step 2).</summary>
internal sealed class FeatureProjection(IComputeBackend backend, LayerNormWeights norm, PreparedLinear projection)
{
    public static FeatureProjection Load(IComputeBackend backend, SafeTensorsFile weights, double epsilon) =>
        new(backend,
            LayerNormWeights.Load(backend, weights, "feature_projection.layer_norm", epsilon),
            backend.PrepareLinear(weights, "feature_projection.projection"));

    public void Forward(Tensor features, Tensor output, Workspace workspace)
    {
        using var scope = workspace.BeginScope();
        var frames = workspace.Allocate(features.Shape[0], features.Shape[2], features.Shape[1]);
        backend.Transpose(features, frames);
        norm.Apply(frames, frames);
        backend.Linear(frames, projection, output);
    }
}

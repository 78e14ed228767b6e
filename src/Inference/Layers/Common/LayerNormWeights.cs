using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Packages;
using MusicSearch.Inference.Tensors;

namespace MusicSearch.Inference.Layers.Common;

/// <summary>
/// One <c>nn.LayerNorm</c> over the last dimension: γ and β (<c>{prefix}.weight</c>, <c>{prefix}.bias</c>) on the
/// device, and its ε. Shared by the Conformer (MusicFM) and the wav2vec2-family transformers.
/// </summary>
internal sealed class LayerNormWeights(IComputeBackend backend, Tensor gamma, Tensor beta, float epsilon)
{
    public static LayerNormWeights Load(IComputeBackend backend, SafeTensorsFile weights, string prefix, double epsilon) =>
        new(backend, backend.Upload(weights, prefix + ".weight"), backend.Upload(weights, prefix + ".bias"), (float)epsilon);

    /// <summary>output = LN(input) on [.., C]; may run in place.</summary>
    public void Apply(Tensor input, Tensor output) => backend.LayerNorm(input, gamma, beta, epsilon, output);
}

using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Layers.Common;
using MusicSearch.Inference.Packages;
using MusicSearch.Inference.Tensors;

namespace MusicSearch.Inference.Layers.Waveform;

/// <summary>
/// One encoder layer (MODEL_SPEC §3.2 step 4), updating x [B, T, H] in place. Post-LN (MERT-95M, music2vec):
/// x ← LN(x + Attn(x)); x ← LN_final(x + FFN(x)). Pre-LN (<c>do_stable_layer_norm</c>, MERT-330M):
/// x ← x + Attn(LN(x)); x ← x + FFN(LN_final(x)).
/// </summary>
internal sealed class TransformerLayer(SelfAttention attention, LayerNormWeights attentionNorm, FeedForward feedForward, LayerNormWeights finalNorm, bool preNorm)
{
    public static TransformerLayer Load(IComputeBackend backend, SafeTensorsFile weights, string prefix, int heads, double epsilon, bool preNorm) =>
        new(SelfAttention.Load(backend, weights, prefix + ".attention", heads),
            LayerNormWeights.Load(backend, weights, prefix + ".layer_norm", epsilon),
            FeedForward.Load(backend, weights, prefix + ".feed_forward", Activation.Gelu),
            LayerNormWeights.Load(backend, weights, prefix + ".final_layer_norm", epsilon),
            preNorm);

    public void Forward(Tensor x, Workspace workspace)
    {
        using var scope = workspace.BeginScope();
        var h = workspace.Allocate(x.Shape);
        if (preNorm)
        {
            attentionNorm.Apply(x, h);
            attention.Forward(h, x, x, workspace);
            finalNorm.Apply(x, h);
            feedForward.Forward(h, x, x, workspace);
        }
        else
        {
            attention.Forward(x, x, h, workspace);
            attentionNorm.Apply(h, x);
            feedForward.Forward(x, x, h, workspace);
            finalNorm.Apply(h, x);
        }
    }
}

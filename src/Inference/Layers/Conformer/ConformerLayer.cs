using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Layers.Common;
using MusicSearch.Inference.Packages;
using MusicSearch.Inference.Tensors;

namespace MusicSearch.Inference.Layers.Conformer;

/// <summary>
/// One pre-norm Macaron layer of HF's <c>Wav2Vec2ConformerEncoderLayer</c> with rotary attention (MODEL_SPEC §2.2):
/// x ← x + ½·FFN1(LN(x)); x ← x + Attn(LN(x)); x ← x + Conv(x); x ← x + ½·FFN2(LN(x)); x ← LN_final(x).
/// </summary>
internal sealed class ConformerLayer(
    LayerNormWeights ffn1Norm,
    FeedForward ffn1,
    LayerNormWeights attentionNorm,
    RotarySelfAttention attention,
    ConformerConvolution convolution,
    LayerNormWeights ffn2Norm,
    FeedForward ffn2,
    LayerNormWeights finalNorm)
{
    public static ConformerLayer Load(IComputeBackend backend, SafeTensorsFile weights, string prefix, ConformerSizes sizes)
    {
        LayerNormWeights Norm(string name) => LayerNormWeights.Load(backend, weights, $"{prefix}.{name}", sizes.LayerNormEpsilon);
        return new(
            Norm("ffn1_layer_norm"),
            FeedForward.Load(backend, weights, prefix + ".ffn1", Activation.Silu),
            Norm("self_attn_layer_norm"),
            RotarySelfAttention.Load(backend, weights, prefix + ".self_attn", sizes.Heads),
            ConformerConvolution.Load(backend, weights, prefix + ".conv_module", sizes.Hidden, sizes.DepthwiseKernel, sizes.LayerNormEpsilon),
            Norm("ffn2_layer_norm"),
            FeedForward.Load(backend, weights, prefix + ".ffn2", Activation.Silu),
            Norm("final_layer_norm"));
    }

    /// <summary>Runs the layer on x [B, T, H] in place; <paramref name="positions"/> must cover T.</summary>
    public void Forward(Tensor x, RotaryPositions positions, Workspace workspace)
    {
        using var scope = workspace.BeginScope();
        var h = workspace.Allocate(x.Shape);
        ffn1Norm.Apply(x, h);
        ffn1.Forward(h, x, x, workspace, 0.5f);
        attentionNorm.Apply(x, h);
        attention.Forward(h, positions, x, workspace);
        convolution.Forward(x, workspace);
        ffn2Norm.Apply(x, h);
        ffn2.Forward(h, x, x, workspace, 0.5f);
        finalNorm.Apply(x, x);
    }
}

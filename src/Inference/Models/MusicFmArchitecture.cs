using MusicSearch.Inference.Packages;

namespace MusicSearch.Inference.Models;

public sealed record MusicFmConfig(
    int HiddenSize,
    int NumHiddenLayers,
    int NumAttentionHeads,
    int IntermediateSize,
    double LayerNormEps,
    int ConvDim,
    int ConvDepthwiseKernelSize,
    double RotaryEmbeddingBase,
    int MelBins)
    : ArchitectureConfig(HiddenSize, NumHiddenLayers, NumAttentionHeads, IntermediateSize, LayerNormEps)
{
    /// <summary>Frequency bins left after the two stride-2 Res2d blocks (⌈⌈F/2⌉/2⌉).</summary>
    public int SubsampledBins => (((MelBins + 1) / 2) + 1) / 2;

    /// <summary>Input width of <c>conv.linear</c>: channel-major flattening of (channels, bins).</summary>
    public int SubsamplingFeatures => ConvDim * SubsampledBins;
}

/// <summary>
/// MusicFM (MODEL_SPEC §1–2): mel frontend, two Res2d blocks, a rotary Conformer encoder.
/// Tensor names are those of the published checkpoints after the <c>model.</c> prefix.
/// </summary>
public sealed class MusicFmArchitecture : ModelArchitecture
{
    public override string Name => "musicfm";

    public override FrontendType Frontend => FrontendType.Mel;

    public override ArchitectureConfig ParseConfig(ManifestReader config, MelFrontend? mel)
    {
        var (hidden, layers, heads, intermediate, eps) = ParseEncoderSizes(config);
        if (hidden / heads % 2 != 0)
        {
            throw config.Error($"the head size ({hidden / heads}) must be even for rotary embeddings");
        }
        var kernel = config.PositiveInteger("conv_depthwise_kernel_size");
        if (kernel % 2 == 0)
        {
            throw config.Error($"'config.conv_depthwise_kernel_size' must be odd so the depthwise convolution keeps the length, found {kernel}");
        }
        return new MusicFmConfig(hidden, layers, heads, intermediate, eps,
            config.PositiveInteger("conv_dim"), kernel,
            config.Number("rotary_embedding_base", minimum: 1),
            mel!.NMels);
    }

    public override IEnumerable<TensorSpec> RequiredTensors(ArchitectureConfig config)
    {
        var c = (MusicFmConfig)config;
        long h = c.HiddenSize, f = c.IntermediateSize, conv = c.ConvDim;

        for (var block = 0; block < 2; block++)
        {
            var prefix = $"conv.conv.{block}";
            var inChannels = block == 0 ? 1 : conv;
            yield return new TensorSpec($"{prefix}.conv1.weight", [conv, inChannels, 3, 3]);
            yield return new TensorSpec($"{prefix}.conv1.bias", [conv]);
            yield return new TensorSpec($"{prefix}.conv2.weight", [conv, conv, 3, 3]);
            yield return new TensorSpec($"{prefix}.conv2.bias", [conv]);
            yield return new TensorSpec($"{prefix}.conv3.weight", [conv, inChannels, 3, 3]);
            yield return new TensorSpec($"{prefix}.conv3.bias", [conv]);
            foreach (var bn in new[] { "bn1", "bn2", "bn3" })
            {
                foreach (var spec in BatchNorm($"{prefix}.{bn}", conv)) yield return spec;
            }
        }
        foreach (var spec in Linear("conv.linear", h, c.SubsamplingFeatures)) yield return spec;

        for (var i = 0; i < c.NumHiddenLayers; i++)
        {
            var layer = $"conformer.layers.{i}";
            foreach (var ffn in new[] { "ffn1", "ffn2" })
            {
                foreach (var spec in LayerNorm($"{layer}.{ffn}_layer_norm", h)) yield return spec;
                foreach (var spec in Linear($"{layer}.{ffn}.intermediate_dense", f, h)) yield return spec;
                foreach (var spec in Linear($"{layer}.{ffn}.output_dense", h, f)) yield return spec;
            }
            foreach (var spec in LayerNorm($"{layer}.self_attn_layer_norm", h)) yield return spec;
            foreach (var projection in new[] { "linear_q", "linear_k", "linear_v", "linear_out" })
            {
                foreach (var spec in Linear($"{layer}.self_attn.{projection}", h, h)) yield return spec;
            }
            foreach (var spec in LayerNorm($"{layer}.conv_module.layer_norm", h)) yield return spec;
            yield return new TensorSpec($"{layer}.conv_module.pointwise_conv1.weight", [2 * h, h, 1]);
            yield return new TensorSpec($"{layer}.conv_module.depthwise_conv.weight", [h, 1, c.ConvDepthwiseKernelSize]);
            foreach (var spec in BatchNorm($"{layer}.conv_module.batch_norm", h)) yield return spec;
            yield return new TensorSpec($"{layer}.conv_module.pointwise_conv2.weight", [h, h, 1]);
            foreach (var spec in LayerNorm($"{layer}.final_layer_norm", h)) yield return spec;
        }
        foreach (var spec in LayerNorm("conformer.layer_norm", h)) yield return spec;
    }
}

using MusicSearch.Inference.Packages;

namespace MusicSearch.Inference.Models;

/// <summary>Config of the wav2vec2-family models (MERT, music2vec), in HF field names.</summary>
public sealed record WaveformTransformerConfig(
    int HiddenSize,
    int NumHiddenLayers,
    int NumAttentionHeads,
    int IntermediateSize,
    double LayerNormEps,
    int[] ConvDim,
    int[] ConvKernel,
    int[] ConvStride,
    bool ConvBias,
    string FeatExtractNorm,
    bool DoStableLayerNorm,
    int NumConvPosEmbeddings,
    int NumConvPosEmbeddingGroups,
    int ConvPosKernelSize)
    : ArchitectureConfig(HiddenSize, NumHiddenLayers, NumAttentionHeads, IntermediateSize, LayerNormEps);

/// <summary>
/// The parts MERT (MODEL_SPEC §3) and music2vec (§4) share: a conv feature encoder over the raw waveform,
/// a feature projection, and a transformer encoder with HuBERT/wav2vec2 tensor names.
/// </summary>
public abstract class WaveformTransformerArchitecture : ModelArchitecture
{
    public override FrontendType Frontend => FrontendType.Waveform;

    public override ArchitectureConfig ParseConfig(ManifestReader config, MelFrontend? mel)
    {
        var (hidden, layers, heads, intermediate, eps) = ParseEncoderSizes(config);
        var convDim = config.PositiveIntegers("conv_dim");
        var convKernel = config.PositiveIntegers("conv_kernel");
        var convStride = config.PositiveIntegers("conv_stride");
        if (convKernel.Length != convDim.Length || convStride.Length != convDim.Length)
        {
            throw config.Error($"'config.conv_dim', 'config.conv_kernel' and 'config.conv_stride' must have the same length ({convDim.Length}, {convKernel.Length}, {convStride.Length})");
        }
        var groups = config.PositiveInteger("num_conv_pos_embedding_groups");
        if (hidden % groups != 0)
        {
            throw config.Error($"'config.hidden_size' ({hidden}) must be divisible by 'config.num_conv_pos_embedding_groups' ({groups})");
        }
        var parsed = new WaveformTransformerConfig(hidden, layers, heads, intermediate, eps, convDim, convKernel, convStride,
            config.Flag("conv_bias"),
            config.OneOf("feat_extract_norm", "group", "layer"),
            config.Flag("do_stable_layer_norm"),
            config.PositiveInteger("num_conv_pos_embeddings"),
            groups,
            config.Has("conv_pos_kernel_size") ? config.PositiveInteger("conv_pos_kernel_size") : 0);
        Validate(parsed, config);
        return parsed;
    }

    /// <summary>Checks the parts of the config that only one family constrains.</summary>
    protected abstract void Validate(WaveformTransformerConfig config, ManifestReader reader);

    /// <summary>The positional-convolution tensors, which differ between the families.</summary>
    protected abstract IEnumerable<TensorSpec> PositionalConvolution(WaveformTransformerConfig config);

    public override IEnumerable<TensorSpec> RequiredTensors(ArchitectureConfig config)
    {
        var c = (WaveformTransformerConfig)config;
        long h = c.HiddenSize;
        for (var i = 0; i < c.ConvDim.Length; i++)
        {
            var prefix = $"feature_extractor.conv_layers.{i}";
            long inChannels = i == 0 ? 1 : c.ConvDim[i - 1];
            yield return new TensorSpec($"{prefix}.conv.weight", [c.ConvDim[i], inChannels, c.ConvKernel[i]]);
            if (c.ConvBias)
            {
                yield return new TensorSpec($"{prefix}.conv.bias", [c.ConvDim[i]]);
            }
            // Group mode normalises only the first layer (GroupNorm); layer mode has a LayerNorm after every conv.
            if (c.FeatExtractNorm == "layer" || i == 0)
            {
                foreach (var spec in LayerNorm($"{prefix}.layer_norm", c.ConvDim[i])) yield return spec;
            }
        }
        long features = c.ConvDim[^1];
        foreach (var spec in LayerNorm("feature_projection.layer_norm", features)) yield return spec;
        foreach (var spec in Linear("feature_projection.projection", h, features)) yield return spec;
        foreach (var spec in PositionalConvolution(c)) yield return spec;
        foreach (var spec in LayerNorm("encoder.layer_norm", h)) yield return spec;
        for (var i = 0; i < c.NumHiddenLayers; i++)
        {
            var layer = $"encoder.layers.{i}";
            foreach (var projection in new[] { "q_proj", "k_proj", "v_proj", "out_proj" })
            {
                foreach (var spec in Linear($"{layer}.attention.{projection}", h, h)) yield return spec;
            }
            foreach (var spec in LayerNorm($"{layer}.layer_norm", h)) yield return spec;
            foreach (var spec in Linear($"{layer}.feed_forward.intermediate_dense", c.IntermediateSize, h)) yield return spec;
            foreach (var spec in Linear($"{layer}.feed_forward.output_dense", h, c.IntermediateSize)) yield return spec;
            foreach (var spec in LayerNorm($"{layer}.final_layer_norm", h)) yield return spec;
        }
    }
}

/// <summary>MERT-v1 (HuBERT-style): group-norm feature encoder and one weight-normed positional convolution.</summary>
public sealed class MertArchitecture : WaveformTransformerArchitecture
{
    public override string Name => "mert";

    protected override void Validate(WaveformTransformerConfig config, ManifestReader reader)
    {
        if (config.FeatExtractNorm != "group")
        {
            throw reader.Error("'config.feat_extract_norm' must be 'group' for architecture 'mert'");
        }
    }

    // Stored as weight_g / weight_v; the engine materialises the weight norm once at load (MODEL_SPEC §3.2).
    protected override IEnumerable<TensorSpec> PositionalConvolution(WaveformTransformerConfig config)
    {
        long h = config.HiddenSize, k = config.NumConvPosEmbeddings;
        yield return new TensorSpec("encoder.pos_conv_embed.conv.weight_g", [1, 1, k]);
        yield return new TensorSpec("encoder.pos_conv_embed.conv.weight_v", [h, h / config.NumConvPosEmbeddingGroups, k]);
        yield return new TensorSpec("encoder.pos_conv_embed.conv.bias", [h]);
    }
}

/// <summary>music2vec-v1 (Data2VecAudio): layer-norm feature encoder and a stack of plain positional convolutions.</summary>
public sealed class Music2VecArchitecture : WaveformTransformerArchitecture
{
    public override string Name => "music2vec";

    protected override void Validate(WaveformTransformerConfig config, ManifestReader reader)
    {
        if (config.FeatExtractNorm != "layer")
        {
            throw reader.Error("'config.feat_extract_norm' must be 'layer' for architecture 'music2vec'");
        }
        if (config.ConvPosKernelSize == 0 || config.ConvPosKernelSize % 2 == 0)
        {
            throw reader.Error($"'config.conv_pos_kernel_size' must be an odd positive integer for architecture 'music2vec', found {config.ConvPosKernelSize}");
        }
        if (config.DoStableLayerNorm)
        {
            throw reader.Error("'config.do_stable_layer_norm' must be false for architecture 'music2vec' (a post-LN encoder)");
        }
    }

    protected override IEnumerable<TensorSpec> PositionalConvolution(WaveformTransformerConfig config)
    {
        long h = config.HiddenSize;
        for (var i = 0; i < config.NumConvPosEmbeddings; i++)
        {
            yield return new TensorSpec($"encoder.pos_conv_embed.layers.{i}.conv.weight", [h, h / config.NumConvPosEmbeddingGroups, config.ConvPosKernelSize]);
            yield return new TensorSpec($"encoder.pos_conv_embed.layers.{i}.conv.bias", [h]);
        }
    }
}

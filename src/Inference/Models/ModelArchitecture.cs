using MusicSearch.Inference.Packages;

namespace MusicSearch.Inference.Models;

/// <summary>A tensor an architecture needs, with the shape its config implies.</summary>
public sealed record TensorSpec(string Name, long[] Shape)
{
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}

/// <summary>The architecture-specific <c>config</c> block of model.json, in HF field names.</summary>
public abstract record ArchitectureConfig(int HiddenSize, int NumHiddenLayers, int NumAttentionHeads, int IntermediateSize, double LayerNormEps)
{
    public int HeadDim => HiddenSize / NumAttentionHeads;
}

/// <summary>
/// What the engine knows about one family of models: which frontend it uses, how its config is validated,
/// and which tensors (by checkpoint name and shape) its weights must contain.
/// </summary>
public abstract class ModelArchitecture
{
    public abstract string Name { get; }

    public abstract FrontendType Frontend { get; }

    public abstract ArchitectureConfig ParseConfig(ManifestReader config, MelFrontend? mel);

    public abstract IEnumerable<TensorSpec> RequiredTensors(ArchitectureConfig config);

    public override string ToString() => Name;

    /// <summary>The fields every transformer-style config shares, checked for consistency.</summary>
    protected static (int Hidden, int Layers, int Heads, int Intermediate, double Eps) ParseEncoderSizes(ManifestReader config)
    {
        var hidden = config.PositiveInteger("hidden_size");
        var heads = config.PositiveInteger("num_attention_heads");
        if (hidden % heads != 0)
        {
            throw config.Error($"'config.hidden_size' ({hidden}) must be divisible by 'config.num_attention_heads' ({heads})");
        }
        return (hidden, config.PositiveInteger("num_hidden_layers"), heads, config.PositiveInteger("intermediate_size"),
            config.Number("layer_norm_eps", minimum: 0, exclusiveMinimum: true));
    }

    protected static IEnumerable<TensorSpec> LayerNorm(string prefix, long size)
    {
        yield return new TensorSpec(prefix + ".weight", [size]);
        yield return new TensorSpec(prefix + ".bias", [size]);
    }

    protected static IEnumerable<TensorSpec> Linear(string prefix, long outFeatures, long inFeatures)
    {
        yield return new TensorSpec(prefix + ".weight", [outFeatures, inFeatures]);
        yield return new TensorSpec(prefix + ".bias", [outFeatures]);
    }

    protected static IEnumerable<TensorSpec> BatchNorm(string prefix, long channels)
    {
        foreach (var part in new[] { "weight", "bias", "running_mean", "running_var" })
        {
            yield return new TensorSpec($"{prefix}.{part}", [channels]);
        }
    }
}

using System.Text;
using System.Text.Json.Nodes;
using MusicSearch.Inference.Models;
using MusicSearch.Inference.Packages;

namespace MusicSearch.Inference.Tests.Packages;

public sealed class ModelManifestTests
{
    private static ModelManifest Parse(JsonNode manifest) =>
        ModelManifest.Parse(Encoding.UTF8.GetBytes(manifest.ToJsonString()), "model.json");

    [Fact]
    public void MusicFm_manifest_parses_into_typed_fields()
    {
        var manifest = Parse(TestPackages.MusicFmManifest());
        Assert.Equal("musicfm", manifest.Architecture.Name);
        Assert.Equal(FrontendType.Mel, manifest.FrontendType);
        Assert.Equal(240, manifest.Mel!.HopLength);
        Assert.Equal(NormalizationType.Global, manifest.Normalization.Type);
        Assert.Equal(18.417922652295623, manifest.Normalization.Std);
        var config = Assert.IsType<MusicFmConfig>(manifest.Config);
        Assert.Equal(8, config.HeadDim);
        Assert.Equal(4 * 4, config.SubsamplingFeatures);
        Assert.Equal(2, manifest.Embedding.Layer);
        Assert.Equal("unit test", manifest.Provenance["trained_on"]);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("{\"type\": \"none\"}", null)]
    [InlineData("{\"type\": \"per_clip\", \"epsilon\": 1e-5}", 1e-5)]
    public void MusicFm_level_normalisation_is_optional(string? waveform, double? expected)
    {
        var json = TestPackages.MusicFmManifest();
        if (waveform is not null)
        {
            json["normalization"]!["waveform"] = JsonNode.Parse(waveform);
        }
        Assert.Equal(expected, Parse(json).Normalization.LevelEpsilon);
    }

    [Fact]
    public void Level_normalisation_on_a_per_clip_manifest_is_rejected()
    {
        var json = TestPackages.WaveformManifest("mert");
        json["normalization"]!["waveform"] = JsonNode.Parse("{\"type\": \"per_clip\", \"epsilon\": 1e-5}");
        var error = Assert.Throws<ModelPackageException>(() => Parse(json));
        Assert.Contains("'normalization.waveform' applies to 'global' or 'none' normalisation", error.Message);
    }

    [Theory]
    [InlineData("mert")]
    [InlineData("music2vec")]
    public void Waveform_manifests_parse(string architecture)
    {
        var manifest = Parse(TestPackages.WaveformManifest(architecture));
        Assert.Equal(architecture, manifest.Architecture.Name);
        Assert.Null(manifest.Mel);
        Assert.Equal(NormalizationType.PerClip, manifest.Normalization.Type);
        Assert.Equal([8, 8, 8], Assert.IsType<WaveformTransformerConfig>(manifest.Config).ConvDim);
    }

    [Fact]
    public void The_330m_musicfm_config_requires_the_published_tensor_inventory()
    {
        var json = TestPackages.MusicFmManifest();
        json["frontend"]!["n_mels"] = 128;
        json["config"] = new JsonObject
        {
            ["hidden_size"] = 1024, ["num_hidden_layers"] = 12, ["num_attention_heads"] = 16, ["intermediate_size"] = 4096,
            ["layer_norm_eps"] = 1e-5, ["conv_dim"] = 512, ["conv_depthwise_kernel_size"] = 31, ["rotary_embedding_base"] = 10000.0,
        };
        var manifest = Parse(json);
        var specs = manifest.Architecture.RequiredTensors(manifest.Config).ToDictionary(s => s.Name, s => s.Shape);
        Assert.Equal([1024L, 16384L], specs["conv.linear.weight"]);
        Assert.Equal([512L, 1L, 3L, 3L], specs["conv.conv.0.conv3.weight"]);
        Assert.Equal([2048L, 1024L, 1L], specs["conformer.layers.11.conv_module.pointwise_conv1.weight"]);
        Assert.Equal([1024L, 1L, 31L], specs["conformer.layers.0.conv_module.depthwise_conv.weight"]);
        // MODEL_SPEC §2.6: about 24.18 M parameters per layer.
        var perLayer = specs.Where(s => s.Key.StartsWith("conformer.layers.0.", StringComparison.Ordinal))
            .Sum(s => s.Value.Aggregate(1L, (a, b) => a * b));
        Assert.InRange(perLayer, 24_150_000, 24_200_000);
    }

    [Fact]
    public void Mert_95m_inventory_matches_the_published_parameter_count()
    {
        var json = TestPackages.WaveformManifest("mert");
        json["config"] = new JsonObject
        {
            ["hidden_size"] = 768, ["num_hidden_layers"] = 12, ["num_attention_heads"] = 12, ["intermediate_size"] = 3072,
            ["layer_norm_eps"] = 1e-5, ["conv_dim"] = new JsonArray(512, 512, 512, 512, 512, 512, 512),
            ["conv_kernel"] = new JsonArray(10, 3, 3, 3, 3, 2, 2), ["conv_stride"] = new JsonArray(5, 2, 2, 2, 2, 2, 2),
            ["conv_bias"] = false, ["feat_extract_norm"] = "group", ["do_stable_layer_norm"] = false,
            ["num_conv_pos_embeddings"] = 128, ["num_conv_pos_embedding_groups"] = 16,
        };
        var manifest = Parse(json);
        var total = manifest.Architecture.RequiredTensors(manifest.Config).Sum(s => s.Shape.Aggregate(1L, (a, b) => a * b));
        // MODEL_SPEC §3.4: 95M ≈ 94.4 M parameters, of which masked_spec_embed (768) is training-only.
        Assert.InRange(total, 94_300_000, 94_500_000);
    }

    public static TheoryData<string, string?, string> Mutations => new()
    {
        { "format_version", "2", "'format_version' 2 is newer than this engine understands" },
        { "format_version", null, "'format_version' is required" },
        { "architecture", "\"wavenet\"", "'architecture' 'wavenet' is unknown (known: musicfm, mert, music2vec, classical)" },
        { "version", "\"has space\"", "'version' may contain only" },
        { "weights.file", "\"../x.safetensors\"", "'weights.file' must be a file name inside the package folder" },
        { "weights.sha256", "\"ABC\"", "'weights.sha256' must be 64 lowercase hex digits" },
        { "sample_rate", "\"24000\"", "'sample_rate' must be an integer" },
        { "sample_rate", "10", "'sample_rate' must be an integer between 1000 and 384000, found 10" },
        { "frontend.type", "\"cqt\"", "'frontend.type' must be one of 'mel', 'waveform', found 'cqt'" },
        { "frontend.n_mels", "-3", "'frontend.n_mels' must be an integer >= 1, found -3" },
        { "frontend.n_fft", "2048.5", "'frontend.n_fft' must be an integer, found 2048.5" },
        { "frontend.win_length", "4096", "'frontend.win_length' (4096) must not exceed 'frontend.n_fft' (2048)" },
        { "frontend.f_max", "20000", "'frontend.f_max' (20000) must lie above 'frontend.f_min' (0) and at most at Nyquist (12000)" },
        { "frontend.center", "1", "'frontend.center' must be true or false" },
        { "frontend.mel_scale", "\"bark\"", "'frontend.mel_scale' must be one of 'htk', 'slaney'" },
        { "frontend", "[]", "'frontend' must be an object" },
        { "normalization.std", "0", "'normalization.std' must be > 0" },
        { "normalization.mean", "\"x\"", "'normalization.mean' must be a finite number" },
        { "normalization.waveform", "{\"type\": \"rms\"}", "'normalization.waveform.type' must be one of 'none', 'per_clip', found 'rms'" },
        { "normalization.waveform", "{\"type\": \"per_clip\"}", "'normalization.waveform.epsilon' is required" },
        { "normalization.waveform", "{\"type\": \"per_clip\", \"epsilon\": 0}", "'normalization.waveform.epsilon' must be > 0" },
        { "normalization.waveform", "{\"type\": \"per_clip\", \"epsilon\": 1.5}", "'normalization.waveform.epsilon' must lie in (0, 1), found 1.5" },
        { "config.hidden_size", "15", "'config.hidden_size' (15) must be divisible by 'config.num_attention_heads' (2)" },
        { "config.num_attention_heads", "16", "the head size (1) must be even" },
        { "config.conv_depthwise_kernel_size", "4", "'config.conv_depthwise_kernel_size' must be odd" },
        { "config.layer_norm_eps", "0", "'config.layer_norm_eps' must be > 0" },
        { "config.conv_dim", null, "'config.conv_dim' is required" },
        { "embedding.layer", "3", "'embedding.layer' must be an integer between 0 and 2, found 3" },
        { "embedding.pooling", "\"max\"", "'embedding.pooling' must be one of 'mean'" },
        { "embedding.min_window_seconds", "40", "'embedding.min_window_seconds' (40) must not exceed 'embedding.window_seconds' (30)" },
        { "provenance.trained_on", "5", "'provenance.trained_on' must be a string" },
    };

    [Theory]
    [MemberData(nameof(Mutations))]
    public void Invalid_fields_are_named_in_the_error(string path, string? value, string expected)
    {
        var json = TestPackages.MusicFmManifest();
        Mutate(json, path, value);
        var error = Assert.Throws<ModelPackageException>(() => Parse(json));
        Assert.Contains(expected, error.Message);
        Assert.StartsWith("model.json: ", error.Message);
    }

    [Theory]
    [InlineData("mert", "config.conv_kernel", "[10, 3]", "must have the same length (3, 2, 3)")]
    [InlineData("mert", "config.feat_extract_norm", "\"layer\"", "must be 'group' for architecture 'mert'")]
    [InlineData("mert", "config.num_conv_pos_embedding_groups", "3", "must be divisible by 'config.num_conv_pos_embedding_groups' (3)")]
    [InlineData("music2vec", "config.conv_pos_kernel_size", "4", "'config.conv_pos_kernel_size' must be an odd positive integer")]
    [InlineData("music2vec", "config.conv_stride", "[5, 0, 2]", "'config.conv_stride[1]' must be a positive integer, found 0")]
    [InlineData("mert", "frontend.type", "\"mel\"", "'frontend.n_fft' is required")]
    public void Waveform_config_errors_are_named(string architecture, string path, string value, string expected)
    {
        var json = TestPackages.WaveformManifest(architecture);
        Mutate(json, path, value);
        Assert.Contains(expected, Assert.Throws<ModelPackageException>(() => Parse(json)).Message);
    }

    [Fact]
    public void Mel_frontend_on_a_waveform_architecture_is_rejected()
    {
        var json = TestPackages.WaveformManifest("mert");
        json["frontend"] = TestPackages.MusicFmManifest()["frontend"]!.DeepClone();
        Assert.Contains("'frontend.type' must be 'waveform' for architecture 'mert'",
            Assert.Throws<ModelPackageException>(() => Parse(json)).Message);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"a\":1,}")]
    public void Malformed_json_is_a_clear_error(string text)
    {
        var error = Assert.Throws<ModelPackageException>(() => ModelManifest.Parse(Encoding.UTF8.GetBytes(text), "model.json"));
        Assert.StartsWith("model.json: ", error.Message);
    }

    private static void Mutate(JsonObject root, string path, string? value)
    {
        var parts = path.Split('.');
        var parent = root;
        foreach (var part in parts[..^1])
        {
            parent = parent[part]!.AsObject();
        }
        if (value is null)
        {
            parent.Remove(parts[^1]);
        }
        else
        {
            parent[parts[^1]] = JsonNode.Parse(value);
        }
    }
}

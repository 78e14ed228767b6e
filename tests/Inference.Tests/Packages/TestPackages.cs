using System.Text.Json.Nodes;
using MusicSearch.Inference.Models;
using MusicSearch.Inference.Packages;

namespace MusicSearch.Inference.Tests.Packages;

/// <summary>Small, valid model packages of each architecture, built from the architecture's own tensor list.</summary>
internal static class TestPackages
{
    public static JsonObject MusicFmManifest() => new()
    {
        ["format_version"] = 1,
        ["architecture"] = "musicfm",
        ["version"] = "musicfm-test-1",
        ["weights"] = new JsonObject { ["file"] = "model.safetensors" },
        ["sample_rate"] = 24000,
        ["frontend"] = new JsonObject
        {
            ["type"] = "mel", ["n_fft"] = 2048, ["win_length"] = 2048, ["hop_length"] = 240, ["n_mels"] = 16,
            ["f_min"] = 0.0, ["f_max"] = 12000.0, ["power"] = 2.0, ["mel_scale"] = "htk", ["center"] = true,
            ["pad_mode"] = "reflect", ["db_floor"] = 1e-10, ["drop_last_frame"] = true,
        },
        ["normalization"] = new JsonObject { ["type"] = "global", ["mean"] = 6.768444971712967, ["std"] = 18.417922652295623 },
        ["config"] = new JsonObject
        {
            ["hidden_size"] = 16, ["num_hidden_layers"] = 2, ["num_attention_heads"] = 2, ["intermediate_size"] = 32,
            ["layer_norm_eps"] = 1e-5, ["conv_dim"] = 4, ["conv_depthwise_kernel_size"] = 5, ["rotary_embedding_base"] = 10000.0,
        },
        ["embedding"] = new JsonObject
        {
            ["layer"] = 2, ["pooling"] = "mean", ["window_seconds"] = 30.0, ["hop_seconds"] = 30.0, ["min_window_seconds"] = 5.0,
        },
        ["provenance"] = new JsonObject { ["trained_on"] = "unit test" },
    };

    public static JsonObject WaveformManifest(string architecture)
    {
        var music2vec = architecture == "music2vec";
        var manifest = MusicFmManifest();
        manifest["architecture"] = architecture;
        manifest["version"] = architecture + "-test-1";
        manifest["frontend"] = new JsonObject { ["type"] = "waveform" };
        manifest["normalization"] = new JsonObject { ["type"] = "per_clip" };
        manifest["config"] = new JsonObject
        {
            ["hidden_size"] = 16, ["num_hidden_layers"] = 2, ["num_attention_heads"] = 2, ["intermediate_size"] = 32,
            ["layer_norm_eps"] = 1e-5,
            ["conv_dim"] = new JsonArray(8, 8, 8), ["conv_kernel"] = new JsonArray(10, 3, 2), ["conv_stride"] = new JsonArray(5, 2, 2),
            ["conv_bias"] = false, ["feat_extract_norm"] = music2vec ? "layer" : "group", ["do_stable_layer_norm"] = false,
            ["num_conv_pos_embeddings"] = music2vec ? 5 : 16, ["num_conv_pos_embedding_groups"] = 4,
        };
        if (music2vec)
        {
            manifest["config"]!["conv_pos_kernel_size"] = 19;
        }
        return manifest;
    }

    /// <summary>Writes model.json and weights holding every tensor the architecture requires (random values).</summary>
    public static void Write(string directory, JsonObject manifest, Func<TensorSpec, bool>? include = null, int seed = 1)
    {
        var parsed = ModelManifest.Parse(System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString()), "draft");
        var random = new Random(seed);
        var writer = new SafeTensorsWriter();
        foreach (var spec in parsed.Architecture.RequiredTensors(parsed.Config).Where(include ?? (_ => true)))
        {
            var count = spec.Shape.Aggregate(1L, (a, b) => a * b);
            var values = new float[count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (float)(random.NextDouble() * 2 - 1);
            }
            writer.Add(spec.Name, spec.Shape, values);
        }
        var weights = Path.Combine(directory, "model.safetensors");
        writer.Save(weights);
        manifest["weights"]!["sha256"] = ModelPackage.ComputeSha256(weights);
        File.WriteAllText(Path.Combine(directory, ModelManifest.FileName), manifest.ToJsonString());
    }
}

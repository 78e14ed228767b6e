using System.Text.Json.Nodes;
using MusicSearch.Inference.Backends.Cpu;
using MusicSearch.Inference.Models.Waveform;
using MusicSearch.Inference.Packages;
using MusicSearch.Inference.Tests.Backends;
using MusicSearch.Inference.Tests.Packages;
using MusicSearch.Testing;

namespace MusicSearch.Inference.Tests.Waveform;

/// <summary>What the waveform encoders promise besides the numbers: lengths, errors, partial runs, allocation-free passes.</summary>
[Collection(WaveformTestGroup.Name)]
public sealed class WaveformEncoderContractTests(WaveformGoldenFixture fixture)
{
    [Theory]
    [MemberData(nameof(WaveformGoldenFixture.Configs), MemberType = typeof(WaveformGoldenFixture))]
    public void Frame_counts_follow_the_floor_formula_down_to_the_receptive_field(string config)
    {
        var model = fixture[config];
        var encoder = model.Encoder;
        Assert.Equal(400, encoder.MinimumSamples);
        Assert.Equal(0, encoder.FrameCount(399));
        Assert.Equal(1, encoder.FrameCount(400));
        // MODEL_SPEC §3.2: 5 s and 30 s at 24 kHz.
        Assert.Equal(374, encoder.FrameCount(120_000));
        Assert.Equal(2249, encoder.FrameCount(720_000));
        for (var c = 0; c < model.Cases; c++)
        {
            Assert.Equal(model.Golden.Get($"case{c}.hidden.0").Shape[0], encoder.FrameCount(model.Floats(c, "wav").Length));
        }

        var shortest = RecordedForward.Run(encoder, model.Floats(0, "wav")[..400], 1, encoder.HiddenStateCount - 1);
        Assert.Equal(new Tensors.TensorShape(1, 1, encoder.HiddenSize), shortest[$"hidden.{encoder.HiddenStateCount - 1}"].Shape);
    }

    [Fact]
    public void A_clip_shorter_than_the_receptive_field_is_rejected_with_the_minimum()
    {
        var encoder = fixture[WaveformGoldenFixture.Mert].Encoder;
        var error = Assert.Throws<ArgumentException>(() => RecordedForward.Run(encoder, new float[399], 1, 1));
        Assert.Contains("399 samples", error.Message, StringComparison.Ordinal);
        Assert.Contains("at least 400", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Layers_past_the_last_requested_hidden_state_are_not_run()
    {
        var model = fixture[WaveformGoldenFixture.MertPreNorm];
        var recorded = RecordedForward.Run(model.Encoder, model.Floats(2, "wav"), 1, lastHiddenState: 1);
        Assert.Equal(["wav_normalized", "conv.0", "conv.1", "conv.2", "conv.3", "conv.4", "conv.5", "conv.6", "features", "projection", "hidden.0", "hidden.1"],
            recorded.Keys);
        // In the pre-LN model an intermediate state is the raw residual stream whether or not later layers run.
        Assert.True(Deviation.Of(recorded["hidden.1"].Values, model.Doubles(2, "hidden.1")).Relative <= 1e-4);

        Assert.Throws<ArgumentOutOfRangeException>(() => RecordedForward.Run(model.Encoder, model.Floats(3, "wav"), 1, model.Encoder.HiddenStateCount));
        Assert.Throws<ArgumentOutOfRangeException>(() => RecordedForward.Run(model.Encoder, model.Floats(3, "wav"), 1, -1));
    }

    [Fact]
    public void A_second_pass_of_the_same_shape_allocates_nothing()
    {
        var encoder = fixture[WaveformGoldenFixture.Music2Vec].Encoder;
        var samples = fixture[WaveformGoldenFixture.Music2Vec].Floats(2, "wav");
        using var workspace = encoder.Backend.CreateWorkspace();
        void Pass()
        {
            workspace.Reset();
            var waveforms = workspace.Allocate(1, samples.Length);
            encoder.Backend.Upload(samples, waveforms);
            encoder.Forward(waveforms, encoder.HiddenStateCount - 1, workspace, static (_, _) => { });
        }

        Pass();
        Pass();
        var blocks = workspace.AllocationCount;
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        Pass();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - bytes);
        Assert.Equal(blocks, workspace.AllocationCount);
    }

    /// <summary>Normalization 'none' feeds the samples as they are: the per-clip model's normalised input then gives its outputs.</summary>
    [Fact]
    public void Without_per_clip_normalisation_the_waveform_goes_straight_into_the_feature_encoder()
    {
        var model = fixture[WaveformGoldenFixture.Music2Vec];
        using var copy = CopyPackage(WaveformGoldenFixture.Music2Vec, manifest => manifest["normalization"] = new JsonObject { ["type"] = "none" });
        using var package = ModelPackage.Open(copy.Path);
        using var encoder = new WaveformTransformerEncoder(package, new CpuBackend());
        var normalized = model.Floats(2, "wav_normalized");
        var recorded = RecordedForward.Run(encoder, normalized, 1, encoder.HiddenStateCount - 1);
        Assert.Equal(normalized, recorded["wav_normalized"].Values);
        for (var k = 0; k < encoder.HiddenStateCount; k++)
        {
            var deviation = Deviation.Of(recorded[$"hidden.{k}"].Values, model.Doubles(2, $"hidden.{k}"));
            Assert.True(deviation.Relative <= 1e-4, $"hidden.{k}: {deviation}");
        }
    }

    [Fact]
    public void A_package_whose_config_does_not_match_its_tensors_fails_at_load()
    {
        using var copy = CopyPackage(WaveformGoldenFixture.Mert, manifest => manifest["config"]!["intermediate_size"] = 64);
        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Open(copy.Path));
        Assert.Contains("'encoder.layers.0.feed_forward.intermediate_dense.weight' has shape [48, 32], the config implies [64, 32]",
            error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Global_normalisation_and_non_waveform_packages_are_rejected()
    {
        using (var copy = CopyPackage(WaveformGoldenFixture.Mert, manifest => manifest["normalization"] = new JsonObject { ["type"] = "global", ["mean"] = 0.0, ["std"] = 1.0 }))
        using (var package = ModelPackage.Open(copy.Path))
        using (var backend = new CpuBackend())
        {
            var error = Assert.Throws<ArgumentException>(() => new WaveformTransformerEncoder(package, backend));
            Assert.Contains("'per_clip' or 'none'", error.Message, StringComparison.Ordinal);
        }
        using (var directory = new TemporaryDirectory())
        {
            TestPackages.Write(directory.Path, TestPackages.MusicFmManifest());
            using var package = ModelPackage.Open(directory.Path);
            using var backend = new CpuBackend();
            var error = Assert.Throws<ArgumentException>(() => new WaveformTransformerEncoder(package, backend));
            Assert.Contains("'musicfm' is not a waveform transformer", error.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>A copy of a fixture package with model.json edited (the weights, and so their sha256, unchanged).</summary>
    private TemporaryDirectory CopyPackage(string config, Action<JsonNode> edit)
    {
        var copy = new TemporaryDirectory();
        foreach (var file in Directory.GetFiles(fixture.PackageDirectory(config)))
        {
            File.Copy(file, copy.File(Path.GetFileName(file)));
        }
        var manifestPath = copy.File(ModelManifest.FileName);
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!;
        edit(manifest);
        File.WriteAllText(manifestPath, manifest.ToJsonString());
        return copy;
    }
}

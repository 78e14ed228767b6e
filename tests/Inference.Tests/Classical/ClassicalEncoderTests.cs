using System.Text.Json.Nodes;
using MusicSearch.Inference.Backends.Cpu;
using MusicSearch.Inference.Embedding;
using MusicSearch.Inference.Models;
using MusicSearch.Inference.Models.Classical;
using MusicSearch.Inference.Packages;
using MusicSearch.Inference.Tensors;
using MusicSearch.Inference.Tests.Embedding;
using MusicSearch.Testing;

namespace MusicSearch.Inference.Tests.Classical;

/// <summary>The classical package format, its standardisation, and the encoder inside the embedding pipeline.</summary>
public sealed class ClassicalEncoderTests : IDisposable
{
    private static readonly ClassicalSettings Settings = new();
    private readonly TemporaryDirectory _directory = new();

    [Fact]
    public void Default_package_loads_with_138_dimensions_and_one_hidden_state()
    {
        var (mean, std) = StandardizationFit.Identity(Settings.Dimensions);
        ClassicalPackage.Write(_directory.Path, "classical-test", Settings, mean, std, new Dictionary<string, string> { ["fitted_on"] = "nothing" });

        using var encoder = EncoderFactory.Load(_directory.Path, new CpuBackend(1));

        Assert.Equal(138, encoder.HiddenSize);
        Assert.Equal(1, encoder.HiddenStateCount);
        Assert.Equal("classical", encoder.Manifest.Architecture.Name);
        Assert.Equal("nothing", encoder.Manifest.Provenance["fitted_on"]);
        Assert.Equal(1025, encoder.MinimumSamples);
        Assert.Equal(1, encoder.FrameCount(24000));
        Assert.Equal(0, encoder.FrameCount(1000));
    }

    [Fact]
    public void Features_are_standardised_by_the_package_statistics()
    {
        var clip = TestSignals.Notes(3, 7);
        var shape = new TensorShape(1, clip.Length);
        float[] raw;
        using (var identity = ClassicalPackages.LoadIdentity(Settings))
        {
            raw = ClassicalReferenceTests.Run(identity, clip, shape);
        }
        var random = new Random(3);
        var mean = Enumerable.Range(0, Settings.Dimensions).Select(_ => (float)(random.NextDouble() * 10 - 5)).ToArray();
        var std = Enumerable.Range(0, Settings.Dimensions).Select(_ => (float)(random.NextDouble() * 3 + 0.1)).ToArray();
        ClassicalPackage.Write(_directory.Path, "classical-fitted", Settings, mean, std);

        using var fitted = EncoderFactory.Load(_directory.Path, new CpuBackend(1));
        var standardised = ClassicalReferenceTests.Run(fitted, clip, shape);

        for (var i = 0; i < raw.Length; i++)
        {
            Assert.Equal((raw[i] - mean[i]) / std[i], standardised[i], 1e-3);
        }
    }

    [Fact]
    public async Task The_embedder_windows_a_track_and_normalises_the_mean_of_window_statistics()
    {
        using var encoder = ClassicalPackages.LoadIdentity(Settings);
        using var embedder = new AudioEmbedder(encoder, batchSize: 2);

        var embedding = await embedder.EmbedAsync(TestSignals.Notes(70, 5));

        Assert.Equal([30.0, 30, 10], embedding.Windows.Select(w => w.DurationSeconds));
        var single = ClassicalReferenceTests.Run(encoder, TestSignals.Notes(70, 5).AsSpan(0, 30 * 24000).ToArray(), new TensorShape(1, 30 * 24000));
        Assert.Equal(single, embedding.Windows[0].Mean);
        var mean = Enumerable.Range(0, embedder.Dimensions).Select(i => embedding.Windows.Average(w => (double)w.Mean[i])).ToArray();
        var norm = Math.Sqrt(mean.Sum(v => v * v));
        for (var i = 0; i < mean.Length; i++)
        {
            Assert.Equal(mean[i] / norm, embedding.Vector[i], 1e-6);
        }
    }

    [Fact]
    public async Task Silence_embeds_to_finite_values()
    {
        using var encoder = ClassicalPackages.LoadIdentity(Settings);
        using var embedder = new AudioEmbedder(encoder);

        var embedding = await embedder.EmbedAsync(new float[24000 * 6]);

        Assert.All(embedding.Vector, v => Assert.True(float.IsFinite(v)));
        var config = (ClassicalConfig)encoder.Manifest.Config;
        // Silent frames: −100 dB mel, flatness 1, contrast 0, centroid 0.
        Assert.Equal(-100, embedding.Windows[0].Mean[0], 3);
        Assert.Equal(1, embedding.Windows[0].Mean[ClassicalFeatureLayout.Offset(config, "flatness")], 6);
        Assert.Equal(0, embedding.Windows[0].Mean[ClassicalFeatureLayout.Offset(config, "contrast")]);
    }

    [Fact]
    public void Clips_shorter_than_one_frame_are_rejected()
    {
        using var encoder = ClassicalPackages.LoadIdentity(Settings);

        Assert.Throws<ArgumentException>(() => ClassicalReferenceTests.Run(encoder, new float[1000], new TensorShape(1, 1000)));
    }

    [Theory]
    [InlineData("config", "n_mfcc", 41, "must not exceed 'frontend.n_mels'")]
    [InlineData("config", "contrast_bands", 8, "must lie below 'frontend.f_max'")]
    [InlineData("config", "contrast_quantile", 0.6, "at most 0.5")]
    [InlineData("embedding", "layer", 1, "'embedding.layer'")]
    public void Invalid_manifests_name_the_field(string section, string field, double value, string message)
    {
        WriteIdentity();
        var manifest = JsonNode.Parse(File.ReadAllText(ManifestPath))!;
        manifest[section]![field] = value == Math.Floor(value) ? JsonValue.Create((int)value) : JsonValue.Create(value);
        File.WriteAllText(ManifestPath, manifest.ToJsonString());

        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Open(_directory.Path).Dispose());
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalisation_other_than_none_is_refused()
    {
        WriteIdentity();
        var manifest = JsonNode.Parse(File.ReadAllText(ManifestPath))!;
        manifest["normalization"] = new JsonObject { ["type"] = "global", ["mean"] = 1.0, ["std"] = 2.0 };
        File.WriteAllText(ManifestPath, manifest.ToJsonString());

        var error = Assert.Throws<ModelPackageException>(() => EncoderFactory.Load(_directory.Path, new CpuBackend(1)));
        Assert.Contains("normalization 'none'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Statistics_with_a_zero_std_or_of_the_wrong_size_are_refused()
    {
        var (mean, std) = StandardizationFit.Identity(Settings.Dimensions);
        std[5] = 0;
        ClassicalPackage.Write(_directory.Path, "classical-test", Settings, mean, std);
        var error = Assert.Throws<ModelPackageException>(() => EncoderFactory.Load(_directory.Path, new CpuBackend(1)));
        Assert.Contains("dimension 5", error.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentException>(() => ClassicalPackage.Write(_directory.Path, "x", Settings, new float[3], new float[3]));

        new SafeTensorsWriter().Add(ClassicalArchitecture.MeanTensor, [137], new float[137]).Save(Path.Combine(_directory.Path, "model.safetensors"));
        var manifest = JsonNode.Parse(File.ReadAllText(ManifestPath))!;
        manifest["weights"]!.AsObject().Remove("sha256");
        File.WriteAllText(ManifestPath, manifest.ToJsonString());
        var shape = Assert.Throws<ModelPackageException>(() => ModelPackage.Open(_directory.Path).Dispose());
        Assert.Contains("'standardization.mean' has shape [137]", shape.Message, StringComparison.Ordinal);
        Assert.Contains("missing tensor 'standardization.std' [138]", shape.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_band_without_fft_bins_is_refused_at_load()
    {
        var settings = Settings with { NFft = 256, ContrastFMin = 30 }; // 93.75 Hz per bin: nothing in [30, 60) Hz
        var (mean, std) = StandardizationFit.Identity(settings.Dimensions);
        ClassicalPackage.Write(_directory.Path, "classical-coarse", settings, mean, std);

        var error = Assert.Throws<ModelPackageException>(() => EncoderFactory.Load(_directory.Path, new CpuBackend(1)));
        Assert.Contains("holds no FFT bin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Standardization_fit_gives_population_statistics_and_std_1_for_constant_dimensions()
    {
        var fit = new StandardizationFit(3);
        fit.Add([1, 5, 2]);
        fit.Add([3, 5, 4]);
        fit.Add([8, 5, 6]);

        var (mean, std) = fit.Result();

        Assert.Equal([4f, 5f, 4f], mean);
        Assert.Equal(Math.Sqrt((9 + 1 + 16) / 3.0), std[0], 5);
        Assert.Equal(1f, std[1]);
        Assert.Equal(Math.Sqrt(8 / 3.0), std[2], 5);
        Assert.Throws<ArgumentException>(() => fit.Add([1, 2]));
        Assert.Throws<ArgumentException>(() => fit.Add([1, float.NaN, 2]));
        Assert.Throws<InvalidOperationException>(() => new StandardizationFit(2).Result());
    }

    private string ManifestPath => _directory.File(ModelManifest.FileName);

    private void WriteIdentity()
    {
        var (mean, std) = StandardizationFit.Identity(Settings.Dimensions);
        ClassicalPackage.Write(_directory.Path, "classical-test", Settings, mean, std);
    }

    public void Dispose() => _directory.Dispose();
}

using MusicSearch.Inference.Backends.Cpu;
using MusicSearch.Inference.Models.MusicFm;
using MusicSearch.Inference.Packages;
using MusicSearch.Inference.Tests.Backends;
using MusicSearch.Inference.Tests.Packages;
using MusicSearch.Testing;

namespace MusicSearch.Inference.Tests.MusicFm;

/// <summary>The encoder's contract beyond the golden values: sizes, limits, partial runs, batches, longer clips, bad packages.</summary>
[Collection(MusicFmTestGroup.Name)]
public sealed class MusicFmEncoderTests(MusicFmFixture fixture) : IDisposable
{
    private readonly TemporaryDirectory _temporary = new();

    public void Dispose() => _temporary.Dispose();

    [Fact]
    public void Frame_count_follows_the_hop_and_two_halvings_from_the_minimum_length_on()
    {
        var encoder = fixture.Encoder(MusicFmFixture.Tiny);
        var hop = encoder.Manifest.Mel!.HopLength;
        // tiny: n_fft 512, so the reflect padding (more than 256 samples) binds before the hop (240).
        Assert.Equal(257, encoder.MinimumSamples);
        Assert.Equal(0, encoder.FrameCount(hop - 1));
        for (var samples = encoder.MinimumSamples; samples < 30 * hop; samples += 37)
        {
            var frames = samples / hop;
            Assert.Equal(((frames + 1) / 2 + 1) / 2, encoder.FrameCount(samples));
        }
        Assert.Equal(750, encoder.FrameCount(720_000));
    }

    [Fact]
    public void MusicFm_sizes_give_1025_samples_minimum_and_750_frames_per_30_s()
    {
        var directory = Directory.CreateDirectory(_temporary.File("musicfm-like")).FullName;
        TestPackages.Write(directory, TestPackages.MusicFmManifest());
        using var encoder = MusicFmFixture.Load(directory);
        Assert.Equal(1025, encoder.MinimumSamples);
        Assert.Equal(750, encoder.FrameCount(720_000));
        Assert.Equal(3, encoder.HiddenStateCount);
    }

    [Fact]
    public void A_clip_below_the_minimum_is_rejected_and_one_at_it_gives_one_frame()
    {
        var encoder = fixture.Encoder(MusicFmFixture.Tiny);
        var error = Assert.Throws<ArgumentException>(() => EncoderRuns.Observe(encoder, [new float[encoder.MinimumSamples - 1]], 0));
        Assert.Contains($"at least {encoder.MinimumSamples}", error.Message);
        Assert.Contains("reflect padding", error.Message);

        var observed = EncoderRuns.Observe(encoder, [TestClip(encoder.MinimumSamples)], encoder.HiddenStateCount - 1);
        Assert.Equal(encoder.HiddenSize, observed[$"hidden.{encoder.HiddenStateCount - 1}"].Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => EncoderRuns.Observe(encoder, [TestClip(1000)], encoder.HiddenStateCount));
    }

    [Fact]
    public void Layers_past_the_last_requested_hidden_state_are_not_run()
    {
        var encoder = fixture.Encoder(MusicFmFixture.Deep);
        var golden = fixture.Golden(MusicFmFixture.Deep);

        var observed = EncoderRuns.Observe(encoder, [golden.Waveform(2)], 3);

        Assert.Equal(["mel", "mel_normalized", "conv", "hidden.0", "hidden.1", "hidden.2", "hidden.3"], observed.Keys);
        Assert.True(Deviation.Of(observed["hidden.3"], golden.Doubles(2, "hidden.3")).Relative <= ReferenceChecks.Tolerance);
    }

    [Fact]
    public void A_batch_of_equal_length_clips_equals_the_clips_run_alone()
    {
        var encoder = fixture.Encoder(MusicFmFixture.Small);
        var golden = fixture.Golden(MusicFmFixture.Small);
        var first = golden.Waveform(3);
        var second = golden.Waveform(2)[..first.Length];
        var last = $"hidden.{encoder.HiddenStateCount - 1}";

        var batch = EncoderRuns.Observe(encoder, [first, second], encoder.HiddenStateCount - 1)[last];
        var alone = EncoderRuns.Observe(encoder, [second], encoder.HiddenStateCount - 1)[last];

        Assert.True(Deviation.Of(batch.AsSpan(0, batch.Length / 2), golden.Doubles(3, last)).Relative <= ReferenceChecks.Tolerance);
        Assert.True(Deviation.Of(batch.AsSpan(batch.Length / 2), Array.ConvertAll(alone, v => (double)v)).Relative <= 1e-6);
    }

    [Fact]
    public void A_clip_longer_than_the_window_extends_the_rotary_tables_without_changing_shorter_results()
    {
        var encoder = fixture.Encoder(MusicFmFixture.Tiny);
        var golden = fixture.Golden(MusicFmFixture.Tiny);
        var last = $"hidden.{encoder.HiddenStateCount - 1}";
        var before = EncoderRuns.Observe(encoder, [golden.Waveform(1)], encoder.HiddenStateCount - 1)[last];

        var longer = TestClip(45 * 24000);
        var hidden = EncoderRuns.Observe(encoder, [longer], encoder.HiddenStateCount - 1)[last];

        Assert.Equal(encoder.FrameCount(longer.Length) * encoder.HiddenSize, hidden.Length);
        Assert.All(hidden, value => Assert.True(float.IsFinite(value)));
        Assert.Equal(before, EncoderRuns.Observe(encoder, [golden.Waveform(1)], encoder.HiddenStateCount - 1)[last]);
    }

    [Fact]
    public void Damaged_packages_fail_at_load_with_the_package_error()
    {
        var truncated = CopyOfTiny("truncated");
        var weights = Path.Combine(truncated, "model.safetensors");
        using (var stream = new FileStream(weights, FileMode.Open))
        {
            stream.SetLength(stream.Length / 2);
        }
        Assert.Contains("sha256", Assert.Throws<ModelPackageException>(() => MusicFmFixture.Load(truncated)).Message);
        var unverified = Assert.Throws<ModelPackageException>(() => ModelPackage.Open(truncated, verifyChecksum: false));
        Assert.Contains("model.safetensors", unverified.Message);

        var missing = Directory.CreateDirectory(_temporary.File("missing")).FullName;
        TestPackages.Write(missing, TestPackages.MusicFmManifest(), spec => spec.Name != "conformer.layers.1.conv_module.batch_norm.running_var");
        var missingError = Assert.Throws<ModelPackageException>(() => MusicFmFixture.Load(missing));
        Assert.Contains("missing tensor 'conformer.layers.1.conv_module.batch_norm.running_var'", missingError.Message);
    }

    [Fact]
    public void A_package_of_another_architecture_is_refused()
    {
        var directory = Directory.CreateDirectory(_temporary.File("mert")).FullName;
        TestPackages.Write(directory, TestPackages.WaveformManifest("mert"));
        using var package = ModelPackage.Open(directory);
        using var backend = new CpuBackend();
        Assert.Contains("not musicfm", Assert.Throws<ArgumentException>(() => new MusicFmEncoder(package, backend)).Message);
    }

    private string CopyOfTiny(string name)
    {
        var copy = Directory.CreateDirectory(_temporary.File(name)).FullName;
        foreach (var file in Directory.GetFiles(fixture.PackageDirectory(MusicFmFixture.Tiny)))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }
        return copy;
    }

    private static float[] TestClip(int samples) =>
        Enumerable.Range(0, samples).Select(i => (float)(0.3 * Math.Sin(i * 0.05) + 0.1 * Math.Sin(i * 0.31))).ToArray();
}

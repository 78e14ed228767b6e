using System.Text;
using System.Text.Json;
using MusicSearch.Inference.Backends.Cpu;
using MusicSearch.Inference.Frontends;
using MusicSearch.Inference.Packages;
using MusicSearch.Inference.Tensors;
using MusicSearch.Inference.Tests.Backends;
using MusicSearch.Inference.Tests.Packages;
using Xunit.Abstractions;

namespace MusicSearch.Inference.Tests.Frontends;

/// <summary>One run of mel_reference.py and one CPU backend for the frontend tests.</summary>
public sealed class MelReferenceFixture : IAsyncLifetime
{
    private ReferenceFile? _reference;

    public CpuBackend Backend { get; } = new();

    public ReferenceFile Reference => _reference ?? throw new InvalidOperationException("The reference cases were not generated.");

    public async Task InitializeAsync() => _reference = await ReferenceFile.GenerateAsync("mel_reference.py");

    public Task DisposeAsync()
    {
        _reference?.Dispose();
        Backend.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The mel frontend against the training project's frontend.py and torchaudio.</summary>
public sealed class MelFrontendTests(MelReferenceFixture fixture, ITestOutputHelper output) : IClassFixture<MelReferenceFixture>
{
    /// <summary>dB error allowed where the reference lies within the case's audible range of its frame's loudest bin
    /// (80 dB for noise, 40 dB for pure tones; mel_reference.py explains why).</summary>
    private const double ToleranceDb = 1e-4;

    /// <summary>
    /// The extra manifest options are checked against torchaudio in float64. The tolerance dates from when this
    /// frontend, like frontend.py, ran the DFT as an fp32 GEMM, whose rounding noise reached 1.1e-4 dB in a deep
    /// fade of a short frame (a bin 53 dB below its frame's peak, 300-sample window); the FFT stays well below it.
    /// </summary>
    private const double TorchaudioToleranceDb = 2e-4;

    private const double Audible = 80;

    internal static readonly MelFrontend MusicFm = new(2048, 2048, 240, 128, 0, 12000, 2.0, "htk", true, "reflect", 1e-10, true);
    internal static readonly Normalization NoNormalization = new(NormalizationType.None, 0, 1);

    private readonly CpuBackend _backend = fixture.Backend;
    private readonly ReferenceFile _reference = fixture.Reference;

    [Fact]
    public void Mel_matches_the_python_reference_frontend_within_1e_4_dB()
    {
        var frontend = new MelSpectrogramFrontend(_backend, MusicFm, 24000, NoNormalization);
        var failures = new List<string>();
        foreach (var name in _reference.Cases("musicfm"))
        {
            var shape = _reference.Shape(name, "waveform");
            var actual = Run(frontend, _reference.Floats(name, "waveform"), shape[0]);
            Assert.Equal(_reference.Shape(name, "mel_db"), new TensorShape(shape[0], 128, shape[1] / 240));

            var audible = _reference.Parameters(name).GetProperty("audible_db").GetDouble();
            var exact = Compare(actual, _reference.Doubles(name, "mel_db_float64"), shape[0], 128, audible);
            var python = Compare(actual, _reference.Doubles(name, "mel_db"), shape[0], 128, audible);
            var within80 = Compare(actual, _reference.Doubles(name, "mel_db_float64"), shape[0], 128, Audible).Audible;
            output.WriteLine($"{name}: vs float64 {exact} ({within80:E2} dB within {Audible} dB); vs the fp32 reference {python}");
            if (!(exact.Audible <= ToleranceDb && python.Audible <= ToleranceDb))
            {
                failures.Add(name);
            }
        }
        Assert.True(failures.Count == 0, "outside tolerance: " + string.Join(", ", failures));
    }

    [Fact]
    public void Normalised_output_matches_the_python_forward()
    {
        const string name = "musicfm/noise_72017";
        var parameters = _reference.Parameters(name);
        var std = parameters.GetProperty("std").GetDouble();
        var frontend = new MelSpectrogramFrontend(_backend, MusicFm, 24000,
            new Normalization(NormalizationType.Global, parameters.GetProperty("mean").GetDouble(), std));
        var actual = Run(frontend, _reference.Floats(name, "waveform"), 2);
        var deviation = Deviation.Of(actual, _reference.Doubles(name, "normalised"));
        output.WriteLine($"{name} normalised: {deviation} ({deviation.MaxAbsolute * std:E2} dB)");
        Assert.True(deviation.MaxAbsolute * std <= ToleranceDb, deviation.ToString());
    }

    [Fact]
    public void Other_manifest_options_match_torchaudio()
    {
        var failures = new List<string>();
        foreach (var name in _reference.Cases("torchaudio"))
        {
            var p = _reference.Parameters(name);
            var mel = new MelFrontend(Int(p, "n_fft"), Int(p, "win_length"), Int(p, "hop_length"), Int(p, "n_mels"),
                p.GetProperty("f_min").GetDouble(), p.GetProperty("f_max").GetDouble(), p.GetProperty("power").GetDouble(),
                p.GetProperty("mel_scale").GetString()!, p.GetProperty("center").GetBoolean(), p.GetProperty("pad_mode").GetString()!, 1e-10,
                p.GetProperty("drop_last_frame").GetBoolean());
            var frontend = new MelSpectrogramFrontend(_backend, mel, Int(p, "sample_rate"), NoNormalization);
            var shape = _reference.Shape(name, "waveform");
            Assert.Equal(_reference.Shape(name, "expected")[2], frontend.FrameCount(shape[1]));
            var actual = Run(frontend, _reference.Floats(name, "waveform"), shape[0]);
            var deviation = Compare(actual, _reference.Doubles(name, "expected"), shape[0], mel.NMels, Audible);
            output.WriteLine($"{name}: {deviation}");
            if (!(deviation.Audible <= TorchaudioToleranceDb))
            {
                failures.Add(name);
            }
        }
        Assert.True(failures.Count == 0, "outside tolerance: " + string.Join(", ", failures));

        static int Int(JsonElement parameters, string key) => parameters.GetProperty(key).GetInt32();
    }

    [Fact]
    public void Torch_linspace_is_reproduced_bit_for_bit()
    {
        foreach (var name in _reference.Cases("linspace"))
        {
            var p = _reference.Parameters(name);
            var actual = MelTables.TorchLinspace((float)p.GetProperty("start").GetDouble(), (float)p.GetProperty("end").GetDouble(),
                p.GetProperty("steps").GetInt32());
            Assert.Equal(_reference.Floats(name, "expected"), actual);
        }
    }

    [Fact]
    public void Filterbanks_equal_the_reference_but_for_torchs_1_ulp_powf()
    {
        foreach (var name in _reference.Cases("filterbank"))
        {
            var p = _reference.Parameters(name);
            var actual = MelTables.Filterbank(p.GetProperty("n_freqs").GetInt32(), p.GetProperty("f_min").GetDouble(),
                p.GetProperty("f_max").GetDouble(), p.GetProperty("n_mels").GetInt32(), p.GetProperty("sample_rate").GetInt32(),
                p.GetProperty("mel_scale").GetString()!);
            var expected = _reference.Floats(name, "expected");
            Assert.Equal(expected.Length, actual.Length);
            var differing = expected.Zip(actual).Count(pair => pair.First != pair.Second);
            var worst = expected.Zip(actual).Max(pair => Math.Abs(pair.First - pair.Second));
            output.WriteLine($"{name}: {expected.Length - differing} of {expected.Length} weights bit-identical, max |diff| {worst:E2}");
            // Where torch's vectorised powf/expf (SLEEF, ≤ 1 ulp) rounds a mel point differently from a correctly
            // rounded pow/exp, the filters meeting at that point move by an ulp of its frequency.
            Assert.True(worst <= 1e-5, $"{name}: max |diff| {worst:E2}");
            Assert.True(differing <= expected.Length / 100, $"{name}: {differing} weights differ");
        }
    }

    [Fact]
    public void Window_equals_the_reference()
    {
        foreach (var name in _reference.Cases("window"))
        {
            var expected = _reference.Floats(name, "expected");
            var actual = MelTables.HannWindow(_reference.Parameters(name).GetProperty("length").GetInt32());
            Assert.Equal(expected.Length, actual.Length);
            var differing = expected.Zip(actual).Count(pair => pair.First != pair.Second);
            var worst = expected.Zip(actual).Max(pair => Math.Abs(pair.First - pair.Second));
            output.WriteLine($"{name}: {expected.Length - differing} of {expected.Length} values bit-identical, max |diff| {worst:E2}");
            Assert.True(worst <= 6e-8, $"{name}: max |diff| {worst:E2}");
        }
    }

    [Fact]
    public void Frame_count_follows_the_spec()
    {
        var frontend = new MelSpectrogramFrontend(_backend, MusicFm, 24000, NoNormalization);
        Assert.Equal(3000, frontend.FrameCount(720_000));
        Assert.Equal(300, frontend.FrameCount(72_017));
        Assert.Equal(4, frontend.FrameCount(1025));

        var manifest = ModelManifest.Parse(Encoding.UTF8.GetBytes(TestPackages.MusicFmManifest().ToJsonString()), "model.json");
        Assert.Equal(16, MelSpectrogramFrontend.FromManifest(_backend, manifest).Parameters.NMels);
        var waveform = ModelManifest.Parse(Encoding.UTF8.GetBytes(TestPackages.WaveformManifest("mert").ToJsonString()), "model.json");
        Assert.Throws<ArgumentException>(() => MelSpectrogramFrontend.FromManifest(_backend, waveform));
    }

    [Fact]
    public void Bad_input_is_a_clear_argument_error()
    {
        var frontend = new MelSpectrogramFrontend(_backend, MusicFm, 24000, NoNormalization);
        using var workspace = _backend.CreateWorkspace();

        var error = Assert.Throws<ArgumentException>(() => frontend.Forward([], 1, workspace));
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);

        error = Assert.Throws<ArgumentException>(() => frontend.Forward(new float[1024], 1, workspace));
        Assert.Contains("n_fft/2 = 1024", error.Message, StringComparison.Ordinal);

        error = Assert.Throws<ArgumentException>(() => frontend.Forward(new float[4001], 2, workspace));
        Assert.Contains("2 clips", error.Message, StringComparison.Ordinal);

        foreach (var bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            var samples = new float[2 * 3000];
            samples[3000 + 1234] = bad;
            error = Assert.Throws<ArgumentException>(() => frontend.Forward(samples, 2, workspace));
            Assert.Contains($"Sample 1234 of clip 1 is {bad}", error.Message, StringComparison.Ordinal);
        }
        Assert.Equal(0, workspace.BytesInUse);
    }

    [Fact]
    public void Waveforms_already_on_the_device_give_the_same_mel()
    {
        const string name = "musicfm/noise_48000";
        var frontend = new MelSpectrogramFrontend(_backend, MusicFm, 24000, NoNormalization);
        var waveform = _reference.Floats(name, "waveform");
        using var workspace = _backend.CreateWorkspace();
        var onDevice = workspace.Allocate(_reference.Shape(name, "waveform"));
        _backend.Upload(waveform, onDevice);
        var fromDevice = ReferenceChecks.Read(_backend, frontend.Forward(onDevice, workspace));
        Assert.Equal(Run(frontend, waveform, 2), fromDevice);
        Assert.Throws<ArgumentException>(() => frontend.Forward(workspace.Allocate(2, 1000), workspace));
    }

    [Fact]
    public void Silence_sits_at_the_db_floor()
    {
        var frontend = new MelSpectrogramFrontend(_backend, MusicFm, 24000, NoNormalization);
        Assert.All(Run(frontend, new float[4800], 1), value => Assert.Equal(-100f, value));
    }

    private float[] Run(MelSpectrogramFrontend frontend, float[] waveform, int batch)
    {
        using var workspace = _backend.CreateWorkspace();
        return ReferenceChecks.Read(_backend, frontend.Forward(waveform, batch, workspace));
    }

    /// <summary>
    /// dB error over all bins and over the bins within <paramref name="audibleDb"/> of their frame's loudest bin
    /// (a frame is a column of the [B, n_mels, F] layout).
    /// </summary>
    private static MelDeviation Compare(float[] actual, double[] expected, int batch, int melBins, double audibleDb)
    {
        Assert.Equal(expected.Length, actual.Length);
        var frames = expected.Length / (batch * melBins);
        double all = 0, audible = 0;
        for (var b = 0; b < batch; b++)
        {
            for (var f = 0; f < frames; f++)
            {
                var peak = double.NegativeInfinity;
                for (var m = 0; m < melBins; m++)
                {
                    peak = Math.Max(peak, expected[((long)b * melBins + m) * frames + f]);
                }
                for (var m = 0; m < melBins; m++)
                {
                    var index = ((long)b * melBins + m) * frames + f;
                    var error = Math.Abs(actual[index] - expected[index]);
                    all = Math.Max(all, error);
                    if (expected[index] > peak - audibleDb)
                    {
                        audible = Math.Max(audible, error);
                    }
                }
            }
        }
        return new MelDeviation(all, audible, audibleDb);
    }

    private readonly record struct MelDeviation(double All, double Audible, double AudibleDb)
    {
        public override string ToString() => $"max |err| {Audible:E2} dB on bins within {AudibleDb} dB of their frame's peak, {All:E2} dB overall";
    }
}

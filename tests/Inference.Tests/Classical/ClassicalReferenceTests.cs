using MusicSearch.Inference.Models;
using MusicSearch.Inference.Models.Classical;
using MusicSearch.Inference.Tests.Backends;
using MusicSearch.Inference.Tensors;
using Xunit.Abstractions;

namespace MusicSearch.Inference.Tests.Classical;

/// <summary>One run of classical_reference.py (torch.stft, torchaudio's filterbank and DCT, numpy descriptors).</summary>
public sealed class ClassicalReferenceFixture : IAsyncLifetime
{
    private ReferenceFile? _reference;

    public ReferenceFile Reference => _reference ?? throw new InvalidOperationException("The reference cases were not generated.");

    public async Task InitializeAsync() => _reference = await ReferenceFile.GenerateAsync("classical_reference.py");

    public Task DisposeAsync()
    {
        _reference?.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// Every feature statistic of the classical encoder against the independent float64 reference, per feature group,
/// on noise, a chord over faint noise, a half-silent clip, a batch of two and the shortest clip, at two settings.
/// </summary>
public sealed class ClassicalReferenceTests(ClassicalReferenceFixture fixture, ITestOutputHelper output) : IClassFixture<ClassicalReferenceFixture>
{
    /// <summary>
    /// Error allowed, relative to the group's largest reference value (at least 1 in the group's unit: dB, Hz, or
    /// a ratio). The fp32 STFT and mel put the dB values within about 1e-5 of float64.
    /// </summary>
    private const double Tolerance = 1e-4;

    /// <summary>
    /// Contrast valleys are the deepest bins of a band: beside a strong tone, a noise bin 60–80 dB down keeps only a
    /// few fp32 digits of its power (measured: up to 1.7e-3 dB at 16 kHz, 1e-4 dB at 24 kHz). A wrong definition
    /// (magnitude for power, another quantile or rounding, other band edges) is off by tenths of a dB or more.
    /// </summary>
    private const double ContrastToleranceDb = 0.01;

    private readonly ReferenceFile _reference = fixture.Reference;

    public static TheoryData<string> Groups => new() { "mel", "mfcc", "contrast", "centroid", "flatness" };

    [Theory]
    [MemberData(nameof(Groups))]
    public void Means_and_deviations_match_the_reference(string group)
    {
        var failures = new List<string>();
        foreach (var name in _reference.Cases("classical"))
        {
            var settings = ClassicalPackages.FromParameters(_reference.Parameters(name));
            using var encoder = ClassicalPackages.LoadIdentity(settings);
            var config = (ClassicalConfig)encoder.Manifest.Config;
            var vectors = Run(encoder, _reference.Floats(name, "waveform"), _reference.Shape(name, "waveform"));
            var width = ClassicalFeatureLayout.Groups(config).Single(g => g.Name == group).Width;
            var offset = ClassicalFeatureLayout.Offset(config, group);
            foreach (var (statistic, start) in new[] { ("mean", offset), ("std", config.FrameFeatures + offset) })
            {
                var expected = _reference.Doubles(name, $"{group}_{statistic}");
                var actual = Slice(vectors, config.HiddenSize, start, width);
                var deviation = Deviation.Of(actual, expected);
                var allowed = group == "contrast" ? ContrastToleranceDb : Tolerance * Math.Max(1, deviation.MaxReference);
                output.WriteLine($"{name} {group}_{statistic}: {deviation} (allowed {allowed:E1})");
                if (!(deviation.MaxAbsolute <= allowed))
                {
                    failures.Add($"{name} {group}_{statistic}: {deviation}");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void Dct_rows_are_orthonormal()
    {
        var dct = ClassicalEncoder.DctMatrix(40, 40);
        for (var a = 0; a < 40; a++)
        {
            for (var b = 0; b < 40; b++)
            {
                var dot = 0.0;
                for (var n = 0; n < 40; n++)
                {
                    dot += (double)dct[a * 40 + n] * dct[b * 40 + n];
                }
                Assert.Equal(a == b ? 1 : 0, dot, 1e-6);
            }
        }
    }

    /// <summary>hidden.0 of one forward pass over the clips, [B, D] on the host.</summary>
    internal static float[] Run(IAudioEncoder encoder, float[] waveforms, TensorShape shape)
    {
        using var workspace = encoder.Backend.CreateWorkspace();
        var input = workspace.Allocate(shape);
        encoder.Backend.Upload(waveforms, input);
        float[]? hidden = null;
        encoder.Forward(input, 0, workspace, (name, value) =>
        {
            if (name == "hidden.0")
            {
                Assert.Equal(new TensorShape(shape[0], 1, encoder.HiddenSize), value.Shape);
                hidden = ReferenceChecks.Read(encoder.Backend, value);
            }
        });
        return hidden ?? throw new InvalidOperationException("hidden.0 was not observed");
    }

    private static float[] Slice(float[] vectors, int dimensions, int start, int width)
    {
        var clips = vectors.Length / dimensions;
        var result = new float[clips * width];
        for (var c = 0; c < clips; c++)
        {
            vectors.AsSpan(c * dimensions + start, width).CopyTo(result.AsSpan(c * width));
        }
        return result;
    }
}

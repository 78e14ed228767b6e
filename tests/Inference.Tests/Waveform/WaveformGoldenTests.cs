using MusicSearch.Inference.Backends.Cpu;
using MusicSearch.Inference.Layers.Waveform;
using MusicSearch.Inference.Models;
using MusicSearch.Inference.Packages;
using MusicSearch.Inference.Tensors;
using MusicSearch.Inference.Tests.Backends;
using Xunit.Abstractions;

namespace MusicSearch.Inference.Tests.Waveform;

/// <summary>MERT and music2vec encoders against the PyTorch reference forward (waveform_encoder.py) through golden.py.</summary>
[Collection(WaveformTestGroup.Name)]
public sealed class WaveformGoldenTests(WaveformGoldenFixture fixture, ITestOutputHelper output)
{
    /// <summary>max|error| / max|reference| allowed for every tensor.</summary>
    private const double Tolerance = 1e-4;

    /// <summary>
    /// A clip of a batch may differ from the same clip run alone only by how the GEMMs block more rows (a few
    /// 1e-7 measured), so a tenth of the reference tolerance.
    /// </summary>
    private const double BatchTolerance = 1e-5;

    [Theory]
    [MemberData(nameof(WaveformGoldenFixture.Configs), MemberType = typeof(WaveformGoldenFixture))]
    public void Every_intermediate_hidden_state_and_embedding_of_every_case_matches_pytorch(string config)
    {
        var model = fixture[config];
        var worst = new Dictionary<string, (Deviation Deviation, int Case)>();
        var failures = new List<string>();
        for (var c = 0; c < model.Cases; c++)
        {
            var recorded = RecordedForward.Run(model.Encoder, model.Floats(c, "wav"), 1, model.Encoder.HiddenStateCount - 1, model.Layer);
            var expected = model.IntermediateNames(c).Append(RecordedForward.Embedding).Order(StringComparer.Ordinal);
            Assert.Equal(expected, recorded.Keys.Order(StringComparer.Ordinal));
            foreach (var (name, actual) in recorded)
            {
                Assert.Equal(TensorShape.Of([1, .. model.Golden.Get($"case{c}.{name}").Shape]), actual.Shape);
                var deviation = Deviation.Of(actual.Values, model.Doubles(c, name));
                if (!(deviation.Relative <= Tolerance))
                {
                    failures.Add($"case{c}.{name}: {deviation}");
                }
                if (!worst.TryGetValue(name, out var previous) || !(deviation.Relative <= previous.Deviation.Relative))
                {
                    worst[name] = (deviation, c);
                }
            }
        }
        foreach (var (name, (deviation, c)) in worst)
        {
            output.WriteLine($"{config} {name}: worst in case {c}: {deviation}");
        }
        output.WriteLine($"{config} worst ratio over all tensors: {worst.Values.Max(w => w.Deviation.Relative):E2}");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Theory]
    [MemberData(nameof(WaveformGoldenFixture.Configs), MemberType = typeof(WaveformGoldenFixture))]
    public void A_batch_of_two_equal_length_clips_equals_two_single_runs(string config)
    {
        var model = fixture[config];
        var first = model.Floats(2, "wav");
        var second = model.Floats(1, "wav")[..first.Length];
        var last = model.Encoder.HiddenStateCount - 1;
        var batch = RecordedForward.Run(model.Encoder, [.. first, .. second], 2, last, model.Layer);
        float[][] clips = [first, second];
        var worst = 0.0;
        for (var b = 0; b < clips.Length; b++)
        {
            var single = RecordedForward.Run(model.Encoder, clips[b], 1, last, model.Layer);
            Assert.Equal(single.Keys, batch.Keys);
            foreach (var (name, alone) in single)
            {
                var batched = batch[name];
                Assert.Equal(2, batched.Shape[0]);
                var deviation = Deviation.Of(batched.Values.AsSpan(b * alone.Values.Length, alone.Values.Length),
                    Array.ConvertAll(alone.Values, v => (double)v));
                Assert.True(deviation.Relative <= BatchTolerance, $"clip {b} {name}: {deviation}");
                worst = Math.Max(worst, deviation.Relative);
            }
        }
        output.WriteLine($"{config}: batch of 2 vs single runs, worst ratio {worst:E2}");
    }

    /// <summary>
    /// The pre-LN model's hidden state 0 is projection + pos with no LayerNorm in between, so golden.py's
    /// tensors isolate the positional convolution whose weight torch computes from weight_g/weight_v.
    /// </summary>
    [Fact]
    public void Weight_norm_materialised_at_load_gives_torchs_positional_convolution()
    {
        var model = fixture[WaveformGoldenFixture.MertPreNorm];
        using var package = ModelPackage.Open(fixture.PackageDirectory(WaveformGoldenFixture.MertPreNorm));
        using var backend = new CpuBackend();
        var positional = WeightNormPositionalConvolution.Load(backend, package.Weights, (WaveformTransformerConfig)package.Manifest.Config);
        using var workspace = backend.CreateWorkspace();
        for (var c = 0; c < model.Cases; c++)
        {
            workspace.Reset();
            var projection = model.Floats(c, "projection");
            var hidden = workspace.Allocate(TensorShape.Of([1, .. model.Golden.Get($"case{c}.projection").Shape]));
            backend.Upload(projection, hidden);
            positional.AddTo(hidden, workspace);
            var sum = ReferenceChecks.Read(backend, hidden);
            var positions = sum.Select((value, i) => value - projection[i]).ToArray();
            var expected = model.Doubles(c, "hidden.0").Select((value, i) => value - projection[i]).ToArray();
            var deviation = Deviation.Of(positions, expected);
            output.WriteLine($"case{c} positional convolution: {deviation}");
            Assert.True(deviation.Relative <= Tolerance, $"case{c}: {deviation}");
        }
    }
}

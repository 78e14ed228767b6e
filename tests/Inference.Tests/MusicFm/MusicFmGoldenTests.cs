using MusicSearch.Inference.Tests.Backends;
using Xunit.Abstractions;

namespace MusicSearch.Inference.Tests.MusicFm;

/// <summary>Every intermediate of the C# forward pass against PyTorch's, for each golden case (a full window, lengths off the hop grid, clips shorter than a window).</summary>
[Collection(MusicFmTestGroup.Name)]
public sealed class MusicFmGoldenTests(MusicFmFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData(MusicFmFixture.Tiny)]
    [InlineData(MusicFmFixture.Small)]
    [InlineData(MusicFmFixture.Deep)]
    public void Every_intermediate_matches_pytorch_within_1e_4_of_its_largest_value(string config)
    {
        var encoder = fixture.Encoder(config);
        var golden = fixture.Golden(config);
        Assert.Equal(golden.HiddenStateCount, encoder.HiddenStateCount);
        // The small config is level-normalised (the shipped default's design), tiny and deep are MusicFM's plain input.
        var levelNormalized = encoder.Manifest.Normalization.LevelEpsilon is not null;
        Assert.Equal(config == MusicFmFixture.Small, levelNormalized);
        Assert.Equal(levelNormalized, golden.Has(0, "wav_normalized"));
        string[] names = [.. levelNormalized ? ["wav_normalized"] : Array.Empty<string>(), "mel", "mel_normalized", "conv", .. Enumerable.Range(0, encoder.HiddenStateCount).Select(k => $"hidden.{k}")];
        var worst = names.ToDictionary(name => name, _ => (Deviation: new Deviation(0, 0), Case: -1));
        var failures = new List<string>();

        for (var i = 0; i < golden.CaseCount; i++)
        {
            var waveform = golden.Waveform(i);
            Assert.Equal(golden.Frames(i), encoder.FrameCount(waveform.Length));
            var observed = EncoderRuns.Observe(encoder, [waveform], encoder.HiddenStateCount - 1);
            Assert.Equal(names, observed.Keys);
            foreach (var name in names)
            {
                var deviation = Deviation.Of(observed[name], golden.Doubles(i, name));
                if (!(deviation.Relative <= worst[name].Deviation.Relative))
                {
                    worst[name] = (deviation, i);
                }
                if (!(deviation.Relative <= ReferenceChecks.Tolerance))
                {
                    failures.Add($"case{i}.{name}: {deviation}");
                }
            }
        }

        output.WriteLine($"{config}: {golden.CaseCount} cases, worst error per tensor:");
        foreach (var (name, (deviation, index)) in worst)
        {
            output.WriteLine($"  {name,-15} {deviation} (case{index})");
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }
}

using MusicSearch.Inference.Embedding;
using MusicSearch.Inference.Tests.Backends;
using MusicSearch.Inference.Tests.MusicFm;
using Xunit.Abstractions;

namespace MusicSearch.Inference.Tests.Embedding;

/// <summary>The embedding of each golden case (each one window: a full 30 s, a partial one, clips shorter than the minimum window) against PyTorch's.</summary>
[Collection(MusicFmTestGroup.Name)]
public sealed class AudioEmbedderGoldenTests(MusicFmFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData(MusicFmFixture.Tiny)]
    [InlineData(MusicFmFixture.Small)]
    public async Task Each_case_is_one_window_whose_mean_is_the_golden_embedding(string config)
    {
        var encoder = fixture.Encoder(config);
        var golden = fixture.Golden(config);
        using var embedder = new AudioEmbedder(encoder);
        for (var i = 0; i < golden.CaseCount; i++)
        {
            var waveform = golden.Waveform(i);
            var embedding = await embedder.EmbedAsync(waveform);

            Assert.Equal(golden.Layer, embedding.Layer);
            Assert.Equal(encoder.Manifest.Version, embedding.ModelVersion);
            var window = Assert.Single(embedding.Windows);
            Assert.Equal((0, waveform.Length), (window.StartSample, window.SampleCount));
            var expected = golden.Doubles(i, "embedding");
            var deviation = Deviation.Of(window.Mean, expected);
            output.WriteLine($"{config} case{i} ({waveform.Length} samples): embedding {deviation}");
            Assert.True(deviation.Relative <= ReferenceChecks.Tolerance, deviation.ToString());
            var norm = Math.Sqrt(expected.Sum(v => v * v));
            Assert.True(Deviation.Of(embedding.Vector, expected.Select(v => v / norm).ToArray()).MaxAbsolute <= 1e-5);
            Assert.Equal(embedding.Vector, window.Vector);
        }
    }
}

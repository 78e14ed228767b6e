using MusicSearch.Inference.Embedding;
using MusicSearch.Inference.Tests.Backends;
using MusicSearch.Inference.Tests.MusicFm;
using Xunit.Abstractions;

namespace MusicSearch.Inference.Tests.Embedding;

/// <summary>The embedding pipeline on the tiny package: windowing, batching, options, validation, long tracks, concurrency.</summary>
[Collection(MusicFmTestGroup.Name)]
public sealed class AudioEmbedderTests(MusicFmFixture fixture, ITestOutputHelper output)
{
    private const int Rate = TestSignals.SampleRate;

    [Fact]
    public async Task Batched_windows_of_several_tracks_equal_single_window_runs()
    {
        var encoder = fixture.Encoder(MusicFmFixture.Tiny);
        float[][] tracks = [TestSignals.Notes(95, 1), TestSignals.Notes(65.3, 2), TestSignals.Notes(12, 3), TestSignals.Notes(3, 4)];
        using var embedder = new AudioEmbedder(encoder, batchSize: 3);

        var embeddings = await Task.WhenAll(tracks.Select(track => embedder.EmbedAsync(track)));

        Assert.Equal([4, 3, 1, 1], embeddings.Select(e => e.Windows.Count));
        Assert.Equal([0.0, 30, 60, 90], embeddings[0].Windows.Select(w => w.StartSeconds));
        Assert.Equal(5.0, embeddings[0].Windows[^1].DurationSeconds, 9);
        Assert.True(embedder.ForwardPassCount < embeddings.Sum(e => e.Windows.Count), $"{embedder.ForwardPassCount} passes: nothing was batched");
        var worst = 0.0;
        for (var t = 0; t < tracks.Length; t++)
        {
            foreach (var window in embeddings[t].Windows)
            {
                var single = SingleWindowMean(tracks[t].AsSpan(window.StartSample, window.SampleCount).ToArray(), embeddings[t].Layer);
                var deviation = Deviation.Of(window.Mean, single);
                worst = Math.Max(worst, deviation.Relative);
                Assert.True(deviation.Relative <= 1e-5, $"track {t} window at {window.StartSeconds} s: {deviation}");
            }
        }
        output.WriteLine($"{embedder.ForwardPassCount} passes for {embeddings.Sum(e => e.Windows.Count)} windows; worst batched-vs-single {worst:E2}");
    }

    [Fact]
    public async Task The_track_vector_is_the_normalised_mean_of_the_window_means()
    {
        using var embedder = new AudioEmbedder(fixture.Encoder(MusicFmFixture.Tiny));
        var embedding = await embedder.EmbedAsync(TestSignals.Notes(70, 5));

        Assert.Equal(3, embedding.Windows.Count);
        var mean = Enumerable.Range(0, embedder.Dimensions).Select(i => embedding.Windows.Average(w => (double)w.Mean[i])).ToArray();
        var norm = Math.Sqrt(mean.Sum(v => v * v));
        Assert.True(Deviation.Of(embedding.Vector, mean.Select(v => v / norm).ToArray()).MaxAbsolute <= 1e-6);
        Assert.All(embedding.Windows, w => Assert.Equal(1.0, Norm(w.Vector), 5));
        Assert.Equal(1.0, Norm(embedding.Vector), 5);
    }

    [Fact]
    public async Task All_layers_pools_every_hidden_state_and_layer_picks_one()
    {
        var encoder = fixture.Encoder(MusicFmFixture.Tiny);
        var golden = fixture.Golden(MusicFmFixture.Tiny);
        using var embedder = new AudioEmbedder(encoder);
        var waveform = golden.Waveform(1);

        var all = await embedder.EmbedAsync(waveform, new EmbeddingOptions { AllLayers = true });
        var first = await embedder.EmbedAsync(waveform, new EmbeddingOptions { Layer = 0 });

        var window = Assert.Single(all.Windows);
        Assert.Equal(encoder.HiddenStateCount, window.LayerMeans!.Count);
        Assert.Equal(encoder.HiddenStateCount, all.LayerVectors!.Count);
        Assert.Equal(window.Mean, window.LayerMeans[golden.Layer]);
        for (var k = 0; k < encoder.HiddenStateCount; k++)
        {
            var deviation = Deviation.Of(window.LayerMeans[k], HostMean(golden.Floats(1, $"hidden.{k}"), encoder.HiddenSize));
            Assert.True(deviation.Relative <= ReferenceChecks.Tolerance, $"hidden.{k}: {deviation}");
        }
        Assert.Equal(0, first.Layer);
        Assert.Null(first.LayerVectors);
        Assert.Equal(window.LayerMeans[0], Assert.Single(first.Windows).Mean);
    }

    [Fact]
    public async Task Empty_and_non_finite_audio_is_rejected_with_the_first_bad_sample()
    {
        using var embedder = new AudioEmbedder(fixture.Encoder(MusicFmFixture.Tiny));
        var empty = await Assert.ThrowsAsync<ArgumentException>(() => embedder.EmbedAsync(Array.Empty<float>()));
        Assert.Contains("empty", empty.Message);

        var samples = TestSignals.Notes(2, 6);
        samples[30_001] = float.PositiveInfinity;
        samples[40_000] = float.NaN;
        var infinite = await Assert.ThrowsAsync<ArgumentException>(() => embedder.EmbedAsync(samples));
        Assert.Contains("Sample 30001", infinite.Message);
        samples[30_001] = 0;
        var nan = await Assert.ThrowsAsync<ArgumentException>(() => embedder.EmbedAsync(samples));
        Assert.Contains("Sample 40000", nan.Message);
        Assert.Contains("NaN", nan.Message);
    }

    [Fact]
    public async Task Audio_below_one_frame_and_bad_options_are_rejected()
    {
        var encoder = fixture.Encoder(MusicFmFixture.Tiny);
        using var embedder = new AudioEmbedder(encoder);
        var tooShort = await Assert.ThrowsAsync<ArgumentException>(() => embedder.EmbedAsync(new float[encoder.MinimumSamples - 1]));
        Assert.Contains($"at least {encoder.MinimumSamples}", tooShort.Message);
        Assert.Single((await embedder.EmbedAsync(new float[encoder.MinimumSamples])).Windows);

        var samples = TestSignals.Notes(1, 7);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => embedder.EmbedAsync(samples, new EmbeddingOptions { Layer = encoder.HiddenStateCount }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => embedder.EmbedAsync(samples, new EmbeddingOptions { MaxWindows = 0 }));
    }

    [Fact]
    public async Task A_two_hour_track_with_max_windows_8_takes_8_evenly_spread_windows_in_the_memory_of_one()
    {
        using var embedder = new AudioEmbedder(fixture.Encoder(MusicFmFixture.Tiny));
        await embedder.EmbedAsync(TestSignals.Notes(30, 8));
        var oneWindow = embedder.WorkspacePeakBytes;
        var track = TestSignals.LongTone(2 * 3600);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var embedding = await embedder.EmbedAsync(track, new EmbeddingOptions { MaxWindows = 8 });

        Assert.Equal(8, embedding.Windows.Count);
        Assert.All(embedding.Windows, w => Assert.Equal(30 * Rate, w.SampleCount));
        Assert.Equal(0, embedding.Windows[0].StartSample);
        Assert.Equal(track.Length, embedding.Windows[^1].StartSample + embedding.Windows[^1].SampleCount);
        var steps = embedding.Windows.Zip(embedding.Windows.Skip(1), (a, b) => b.StartSample - a.StartSample).ToArray();
        Assert.True(steps.Max() - steps.Min() <= 1, string.Join(", ", steps));
        Assert.Equal(oneWindow, embedder.WorkspacePeakBytes);
        Assert.Equal(7200.0, embedding.DurationSeconds, 6);
        output.WriteLine($"2 h track: windows at {string.Join(", ", embedding.Windows.Select(w => $"{w.StartSeconds:F1}"))} s, " +
            $"{clock.Elapsed.TotalSeconds:F2} s, workspace peak {embedder.WorkspacePeakBytes / 1e6:F1} MB");
    }

    [Fact]
    public async Task Four_concurrent_callers_get_the_vectors_of_sequential_calls()
    {
        using var embedder = new AudioEmbedder(fixture.Encoder(MusicFmFixture.Tiny));
        float[][] tracks = [TestSignals.Notes(61, 9), TestSignals.Notes(40, 10), TestSignals.Notes(8, 11), TestSignals.Notes(31, 12)];
        var sequential = new List<TrackEmbedding>();
        foreach (var track in tracks)
        {
            sequential.Add(await embedder.EmbedAsync(track));
        }

        var concurrent = await Task.WhenAll(tracks.Select(track => Task.Run(() => embedder.EmbedAsync(track))));

        for (var t = 0; t < tracks.Length; t++)
        {
            Assert.Equal(sequential[t].Vector, concurrent[t].Vector);
            Assert.Equal(sequential[t].Windows.Select(w => w.Mean), concurrent[t].Windows.Select(w => w.Mean));
        }
    }

    [Fact]
    public async Task A_cancelled_call_and_a_disposed_embedder_fail_cleanly()
    {
        var embedder = new AudioEmbedder(fixture.Encoder(MusicFmFixture.Tiny));
        using (var cancelled = new CancellationTokenSource())
        {
            await cancelled.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => embedder.EmbedAsync(TestSignals.Notes(65, 13), cancellationToken: cancelled.Token));
        }
        embedder.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => embedder.EmbedAsync(TestSignals.Notes(1, 14)));
    }

    private double[] SingleWindowMean(float[] window, int layer)
    {
        var encoder = fixture.Encoder(MusicFmFixture.Tiny);
        return HostMean(EncoderRuns.Observe(encoder, [window], layer)[$"hidden.{layer}"], encoder.HiddenSize);
    }

    private static double[] HostMean(float[] states, int hidden)
    {
        var frames = states.Length / hidden;
        var mean = new double[hidden];
        for (var i = 0; i < states.Length; i++)
        {
            mean[i % hidden] += states[i] / (double)frames;
        }
        return mean;
    }

    private static double Norm(float[] vector) => Math.Sqrt(vector.Sum(v => (double)v * v));
}

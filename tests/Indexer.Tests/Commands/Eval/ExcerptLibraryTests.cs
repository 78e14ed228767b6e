using MusicSearch.Core.Audio;
using MusicSearch.Core.Catalog;
using MusicSearch.Indexer.Commands.Eval;
using MusicSearch.Testing;

namespace MusicSearch.Indexer.Tests.Commands.Eval;

/// <summary>One 20 s chord and a missing file, excerpted (4 s) at 24 and 16 kHz.</summary>
public sealed class ExcerptFixture : IAsyncLifetime, IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public ExcerptFixture()
    {
        Track = new Track { Id = new TrackId("chord"), Title = "chord", AudioUri = new Uri(_directory.File("chord.flac")).AbsoluteUri, DurationSeconds = 20 };
    }

    public Track Track { get; }

    internal ExcerptLibrary Library { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await ExternalTool.RunAsync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i",
            "aevalsrc=0.3*sin(2*PI*261.6*t)+0.2*sin(2*PI*329.6*t)+0.1*sin(2*PI*3920*t):s=44100:d=20", _directory.File("chord.flac")]);
        Library = new ExcerptLibrary(_directory.File("excerpts"), 4, new AudioDecoderOptions());
        await Library.PrepareAsync([Track, Track with { Id = new TrackId("missing"), AudioUri = new Uri(_directory.File("none.flac")).AbsoluteUri }],
            [24000, 16000], 2, new Progress<int>(), CancellationToken.None);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _directory.Dispose();
}

/// <summary>The degraded excerpts are what the report says they are, measured on ffmpeg's real output.</summary>
public sealed class ExcerptLibraryTests(ExcerptFixture fixture) : IClassFixture<ExcerptFixture>
{
    private const int Rate = 24000;
    private readonly ExcerptLibrary _library = fixture.Library;
    private readonly Track _track = fixture.Track;

    [Fact]
    public async Task Noise_is_mixed_in_20_dB_below_the_excerpt()
    {
        var clean = await Load("clean");
        var noisy = await Load("noise-20db");

        Assert.Equal(clean.Length, noisy.Length);
        double signal = 0, noise = 0;
        for (var i = 0; i < clean.Length; i++)
        {
            signal += (double)clean[i] * clean[i];
            noise += (double)(noisy[i] - clean[i]) * (noisy[i] - clean[i]);
        }
        Assert.InRange(10 * Math.Log10(signal / noise), 19.5, 20.5);
    }

    [Fact]
    public async Task Gain_lowers_the_level_by_12_dB_and_tempo_changes_the_length_by_3_percent()
    {
        var clean = await Load("clean");

        Assert.Equal(4 * Rate, clean.Length);
        Assert.Equal(-12, 20 * Math.Log10(Rms(await Load("gain-minus-12db")) / Rms(clean)), 0.01);
        Assert.Equal(clean.Length / 1.03, (await Load("tempo-up-3pct")).Length, clean.Length * 0.005);
        Assert.Equal(clean.Length / 0.97, (await Load("tempo-down-3pct")).Length, clean.Length * 0.005);
    }

    [Fact]
    public async Task Mp3_and_eq_change_the_signal_but_keep_its_length()
    {
        var clean = await Load("clean");
        var mp3 = await Load("mp3-64k");
        var tilted = await Load("eq-tilt");

        Assert.Equal(clean.Length, mp3.Length, Rate / 20.0);
        Assert.Equal(clean.Length, tilted.Length);
        Assert.NotEqual(clean, tilted);
        Assert.NotEqual(clean.Take(mp3.Length), mp3.Take(clean.Length));
        // Every condition exists at every rate it was prepared for.
        Assert.Equal(4 * 16000, (await _library.LoadAsync(_track.Id, Degradation.All[0], 16000, CancellationToken.None)).Length);
    }

    [Fact]
    public void A_track_that_cannot_be_decoded_is_recorded_not_thrown()
    {
        Assert.True(_library.Has(_track.Id));
        Assert.False(_library.Has(new TrackId("missing")));
        Assert.Contains(new TrackId("missing"), _library.Problems.Keys);
    }

    [Fact]
    public void Noise_amplitude_puts_uniform_noise_20_dB_below_the_signal()
    {
        // A full-scale square wave has RMS 1: uniform noise of RMS 0.1 needs amplitude √3 · 0.1.
        Assert.Equal(Math.Sqrt(3) * 0.1, ExcerptLibrary.NoiseAmplitude([1, -1, 1, -1]), 1e-12);
        Assert.Equal(0, ExcerptLibrary.NoiseAmplitude(new float[10]));
    }

    private Task<float[]> Load(string id) => _library.LoadAsync(_track.Id, Degradation.All.Single(d => d.Id == id), Rate, CancellationToken.None);

    private static double Rms(float[] samples) => Math.Sqrt(samples.Average(s => (double)s * s));
}

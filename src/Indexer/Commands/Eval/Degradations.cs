using MusicSearch.Evaluation.Reports;

namespace MusicSearch.Indexer.Commands.Eval;

/// <summary>
/// One robustness condition: an ffmpeg filter chain applied to the clean excerpt (or white noise mixed into it), and,
/// for a lossy codec, the encoder it goes through before being decoded again.
/// </summary>
/// <param name="Id">Key in the report.</param>
/// <param name="Label">Name in tables and charts.</param>
/// <param name="Filter">The ffmpeg filter chain; null for the noise mix, which <see cref="ExcerptLibrary"/> builds per excerpt.</param>
/// <param name="Encoder">ffmpeg encoder options and file extension of a lossy round trip; null writes the filtered audio as it is.</param>
internal sealed record Degradation(string Id, string Label, string? Filter, (string[] Options, string Extension)? Encoder = null)
{
    /// <summary>Signal-to-noise ratio of the noise condition, in dB.</summary>
    public const double NoiseSnrDb = 20;

    /// <summary>The clean excerpt (the control), then each degradation the issue lists; tempo is changed both ways.</summary>
    public static IReadOnlyList<Degradation> All { get; } =
    [
        new("clean", "clean", "anull"),
        new("mp3-64k", "MP3 64 kb/s", "anull", (["-c:a", "libmp3lame", "-b:a", "64k"], "mp3")),
        new("noise-20db", "noise 20 dB SNR", null),
        new("eq-tilt", "EQ tilt", "bass=g=6:f=250,equalizer=f=1500:t=o:w=2:g=-3,treble=g=-6:f=4000"),
        new("tempo-up-3pct", "tempo +3 %", "atempo=1.03"),
        new("tempo-down-3pct", "tempo −3 %", "atempo=0.97"),
        new("gain-minus-12db", "gain −12 dB", "volume=-12dB"),
    ];

    /// <summary>What the report says the condition is.</summary>
    public DegradationInfo Info => new(Id, Label, (Filter, Encoder) switch
    {
        (null, _) => $"anoisesrc=c=white, amplitude √3·RMS·10^(−{NoiseSnrDb:0}/20) (uniform noise {NoiseSnrDb:0} dB below the excerpt's RMS); amerge, pan=mono|c0=c0+c1",
        (_, { } encoder) => $"{string.Join(' ', encoder.Options)}, decoded again",
        _ => Filter,
    });
}

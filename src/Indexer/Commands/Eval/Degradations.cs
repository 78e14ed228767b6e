using MusicSearch.Evaluation.Reports;

namespace MusicSearch.Indexer.Commands.Eval;

/// <summary>
/// One robustness condition: an ffmpeg filter chain applied to the clean excerpt (or white noise mixed in), and how
/// its output is encoded. Every condition but the MP3 one is written losslessly (32-bit float WAV).
/// </summary>
/// <param name="Id">Key in the report.</param>
/// <param name="Label">Name in tables and charts.</param>
/// <param name="Filter">The ffmpeg filter chain; null for the noise mix, which <see cref="ExcerptLibrary"/> builds per excerpt.</param>
/// <param name="Extension">Output file type.</param>
/// <param name="Codec">ffmpeg output codec options.</param>
internal sealed record Degradation(string Id, string Label, string? Filter, string Extension, string[] Codec)
{
    /// <summary>Signal-to-noise ratio of the noise condition, in dB.</summary>
    public const double NoiseSnrDb = 20;

    private static readonly string[] FloatWav = ["-c:a", "pcm_f32le"];

    /// <summary>The clean excerpt (the control), then each degradation the issue lists; tempo is changed both ways.</summary>
    public static IReadOnlyList<Degradation> All { get; } =
    [
        new("clean", "clean", "anull", "wav", FloatWav),
        new("mp3-64k", "MP3 64 kb/s", "anull", "mp3", ["-c:a", "libmp3lame", "-b:a", "64k"]),
        new("noise-20db", "noise 20 dB SNR", null, "wav", FloatWav),
        new("eq-tilt", "EQ tilt", "bass=g=6:f=250,equalizer=f=1500:t=o:w=2:g=-3,treble=g=-6:f=4000", "wav", FloatWav),
        new("tempo-up-3pct", "tempo +3 %", "atempo=1.03", "wav", FloatWav),
        new("tempo-down-3pct", "tempo −3 %", "atempo=0.97", "wav", FloatWav),
        new("gain-minus-12db", "gain −12 dB", "volume=-12dB", "wav", FloatWav),
    ];

    /// <summary>What the report says the condition is.</summary>
    public DegradationInfo Info => new(Id, Label, Filter switch
    {
        null => $"anoisesrc=c=white (seeded; amplitude √3·RMS·10^(−{NoiseSnrDb:0}/20)), amerge, pan=mono|c0=c0+c1",
        "anull" => string.Join(' ', Codec),
        _ => Filter,
    });
}

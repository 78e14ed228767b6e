namespace MusicSearch.Core.Audio;

/// <summary>Where ffmpeg lives and how much a single decode may cost.</summary>
public sealed class AudioDecoderOptions
{
    /// <summary>The ffmpeg executable; a bare name is looked up on PATH.</summary>
    public string FfmpegPath { get; init; } = "ffmpeg";

    /// <summary>The ffprobe executable; a bare name is looked up on PATH.</summary>
    public string FfprobePath { get; init; } = "ffprobe";

    /// <summary>
    /// The most audio one call may decode: the whole file, or the requested range (a short window of a long file is
    /// cheap thanks to input seeking). Checked against ffprobe's duration before decoding, and against the samples
    /// as they arrive for files whose duration is unknown or wrong.
    /// </summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Wall-clock budget for one call, ffprobe and ffmpeg together. When streaming, it includes the time the consumer
    /// spends between chunks, so an abandoned stream cannot keep ffmpeg alive.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How far, as a fraction, the decoded length may stray from the length the container states.</summary>
    public double LengthTolerance { get; init; } = 0.02;

    /// <summary>
    /// The least stray always allowed, because lossy containers miscount encoder delay and padding by a few frames:
    /// an 8 kHz MP3 states 168 ms more than it decodes to, and AAC in MP4 decodes up to 72 ms past its stated end.
    /// That is far more than 2 % of a short file or range.
    /// </summary>
    public TimeSpan MinimumLengthSlack { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Whether ffmpeg's error lines alone fail a decode (as <see cref="AudioDecodeError.Corrupt"/>) when the audio
    /// otherwise came out whole: the right length, a timeline without holes. True suits checking files; the indexer
    /// sets it false, because many real encodes draw a harmless complaint (Vorbis "Overread 8 bits" from some
    /// encoders) or have one damaged frame, and their audio still embeds correctly. Length and gap checks apply
    /// either way.
    /// </summary>
    public bool RejectDecoderErrors { get; set; } = true;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(FfmpegPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(FfprobePath);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MaxDuration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(LengthTolerance);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(LengthTolerance, 1.0);
        ArgumentOutOfRangeException.ThrowIfLessThan(MinimumLengthSlack, TimeSpan.Zero);
    }
}

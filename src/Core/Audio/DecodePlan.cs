using System.Globalization;

namespace MusicSearch.Core.Audio;

/// <summary>Why a finished decode cannot be trusted.</summary>
internal sealed record DecodeFailure(AudioDecodeError Kind, string Reason);

/// <summary>
/// What one decode should produce, worked out from ffprobe's answer before ffmpeg starts, and the verdict on what
/// it did produce. Lengths are in output samples.
/// </summary>
internal sealed class DecodePlan
{
    private readonly int _sampleRate;
    private readonly double _tolerance;
    private readonly long _minimumSlack;
    private readonly long? _expected;
    private readonly TimeSpan _maxDuration;
    private readonly long _limit;
    private readonly bool _probed;
    private readonly bool _rejectDecoderErrors;

    private DecodePlan(int sampleRate, TimeSpan? expected, AudioDecoderOptions options, bool probed)
    {
        _sampleRate = sampleRate;
        _probed = probed;
        _rejectDecoderErrors = options.RejectDecoderErrors;
        _tolerance = options.LengthTolerance;
        _minimumSlack = ToSamples(options.MinimumLengthSlack);
        _expected = expected is { } length ? ToSamples(length) : null;
        _maxDuration = options.MaxDuration;
        var maximum = ToSamples(options.MaxDuration);
        _limit = maximum + Slack(maximum);
    }

    /// <exception cref="ArgumentOutOfRangeException">The range starts past the end of the file.</exception>
    /// <exception cref="AudioDecodeException">TooLong: the audio to decode is known to exceed the limit.</exception>
    public static DecodePlan Create(AudioMetadata metadata, int sampleRate, AudioRange range, AudioDecoderOptions options, string fullPath)
    {
        if (metadata.Duration is { } duration && range.Start > TimeSpan.Zero && range.Start >= duration)
        {
            throw new ArgumentOutOfRangeException(nameof(range), range.Start, $"The range starts at or after the end of {fullPath}, which lasts {duration}.");
        }

        var expected = range.CoveredIn(metadata.Duration);
        if ((expected ?? range.Length) is { } toDecode && toDecode > options.MaxDuration)
        {
            throw new AudioDecodeException(
                AudioDecodeError.TooLong, fullPath, $"{toDecode} of audio to decode is more than the {options.MaxDuration} allowed");
        }

        return new DecodePlan(sampleRate, expected, options, probed: true);
    }

    /// <summary>
    /// For a stream decoded without probing it first: nothing is known about its length, and whether it holds
    /// audio at all only shows in what ffmpeg makes of it.
    /// </summary>
    public static DecodePlan Unprobed(int sampleRate, AudioDecoderOptions options) =>
        new(sampleRate, expected: null, options, probed: false);

    /// <summary>A failure once more samples have arrived than any acceptable decode may produce.</summary>
    public DecodeFailure? CheckLimit(long produced) =>
        produced > _limit ? new(AudioDecodeError.TooLong, $"more than the {_maxDuration} allowed arrived while decoding") : null;

    /// <param name="produced">Samples ffmpeg wrote.</param>
    /// <param name="reached">Where ffmpeg's output timeline ended, in samples; null if it did not report it.</param>
    /// <param name="toolComplained">ffmpeg wrote error lines or exited with a non-zero code.</param>
    public DecodeFailure? Judge(long produced, long? reached, bool toolComplained)
    {
        // The timeline end tells "stopped early" from "has holes"; the sample count alone cannot.
        var reach = reached ?? produced;
        if (_expected is { } expected)
        {
            // Checked before the error lines, because cutting a file short nearly always also leaves a broken
            // last frame that the decoder complains about.
            if (reach < expected - Slack(expected))
            {
                return new(AudioDecodeError.Truncated, $"the audio stops at {Seconds(reach)} but the container says it lasts {Seconds(expected)}");
            }

            if (produced > expected + Slack(expected))
            {
                return new(AudioDecodeError.Corrupt, $"{Seconds(produced)} of audio decoded but the container says it lasts {Seconds(expected)}");
            }
        }

        if (Math.Abs(produced - reach) > Slack(reach))
        {
            return new(AudioDecodeError.Corrupt, $"{Seconds(produced)} of samples span {Seconds(reach)}, so parts of the audio are missing");
        }

        if (toolComplained && (_rejectDecoderErrors || produced == 0))
        {
            // What ffprobe would have said about a file: ffmpeg found nothing in the stream it could decode.
            return produced == 0 && !_probed
                ? new(AudioDecodeError.NotAudio, "ffmpeg found no decodable audio in it")
                : new(AudioDecodeError.Corrupt, "ffmpeg reported errors while decoding");
        }

        // With a stated length the checks above already judge empty output (a range at the very end of a file may
        // rightly hold nothing); without one, no audio at all is the one sign left.
        return produced == 0 && _expected is null ? new(AudioDecodeError.Corrupt, "ffmpeg produced no audio") : null;
    }

    private long Slack(long samples) => Math.Max((long)(samples * _tolerance), _minimumSlack);

    private long ToSamples(TimeSpan time) => (long)Math.Round(time.TotalSeconds * _sampleRate);

    private string Seconds(long samples) => ((double)samples / _sampleRate).ToString("0.### s", CultureInfo.InvariantCulture);
}

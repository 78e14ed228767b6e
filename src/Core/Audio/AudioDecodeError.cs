namespace MusicSearch.Core.Audio;

/// <summary>
/// Why a file could not be decoded. Cancellation through the caller's token is deliberately not a kind:
/// it surfaces as <see cref="OperationCanceledException"/> carrying that token, so the usual
/// <c>catch (OperationCanceledException)</c> handling in hosts and pipelines keeps working.
/// </summary>
public enum AudioDecodeError
{
    /// <summary>No file at the path: it does not exist or is a directory.</summary>
    NotFound,

    /// <summary>
    /// ffprobe finds no decodable audio stream: not a media file, an unsupported format, an empty file or pipe. For a
    /// stream fed to stdin, which is not probed: ffmpeg failed without producing any audio.
    /// </summary>
    NotAudio,

    /// <summary>ffmpeg reported decoding errors, the audio has holes, or it runs longer than the container says.</summary>
    Corrupt,

    /// <summary>The audio stops before the duration the container states (beyond the length tolerance).</summary>
    Truncated,

    /// <summary>The audio to decode is longer than <see cref="AudioDecoderOptions.MaxDuration"/>.</summary>
    TooLong,

    /// <summary>The call did not finish within <see cref="AudioDecoderOptions.Timeout"/>.</summary>
    TimedOut,
}

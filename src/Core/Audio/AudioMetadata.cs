namespace MusicSearch.Core.Audio;

/// <summary>What ffprobe reports about a file's container and its first audio stream.</summary>
/// <param name="FormatName">The container as ffprobe names it, e.g. "mp3", "ogg", "mov,mp4,m4a,3gp,3g2,mj2".</param>
/// <param name="Codec">The audio codec, e.g. "mp3", "vorbis", "flac", "pcm_s16le".</param>
/// <param name="Duration">
/// The duration the container states; null when it states none or ffprobe only estimated it from the bit rate
/// (raw streams such as ADTS AAC, MP3 without a Xing header), because such guesses can be off by several percent.
/// </param>
/// <param name="SampleRate">The stream's own sample rate in Hz.</param>
/// <param name="Channels">The stream's own channel count.</param>
/// <param name="BitRate">Bits per second of the stream, or of the whole file when the stream does not say; null if neither does.</param>
/// <param name="Tags">Title, artist and the like, wherever in the file they live.</param>
public sealed record AudioMetadata(
    string FormatName,
    string Codec,
    TimeSpan? Duration,
    int SampleRate,
    int Channels,
    long? BitRate,
    AudioTags Tags);

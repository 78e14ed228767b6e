using MusicSearch.Core.Audio;
using MusicSearch.Core.Audio.Sources;
using MusicSearch.Core.Catalog;

namespace MusicSearch.Indexing.Pipeline;

/// <summary>Turns a track's audio URI into mono PCM at the model's sample rate.</summary>
public interface ITrackAudioLoader
{
    /// <exception cref="AudioException">The audio could not be fetched or decoded; <see cref="AudioException.IsTransient"/> says whether to retry.</exception>
    Task<DecodedAudio> LoadAsync(Track track, int sampleRate, CancellationToken cancellationToken);
}

/// <summary>
/// Fetches the audio through the configured sources (<c>file://</c> confined to <c>Audio:Sources:LibraryRoots</c>,
/// allow-listed <c>http(s)://</c>) and decodes it with ffmpeg as the bytes arrive.
/// </summary>
internal sealed class SourceTrackAudioLoader(AudioSourceDecoder decoder) : ITrackAudioLoader
{
    public Task<DecodedAudio> LoadAsync(Track track, int sampleRate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(track);
        return decoder.DecodeAsync(track.AudioUri, sampleRate, cancellationToken);
    }
}

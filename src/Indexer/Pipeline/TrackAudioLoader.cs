using MusicSearch.Core.Audio;
using MusicSearch.Core.Catalog;

namespace MusicSearch.Indexer.Pipeline;

/// <summary>Turns a track's audio URI into mono PCM at the model's sample rate.</summary>
public interface ITrackAudioLoader
{
    /// <exception cref="AudioDecodeException">The audio could not be decoded.</exception>
    /// <exception cref="IndexingFailureException">The URI is not one this loader serves.</exception>
    Task<DecodedAudio> LoadAsync(Track track, int sampleRate, CancellationToken cancellationToken);
}

/// <summary>
/// Decodes <c>file://</c> URIs and absolute local paths with ffmpeg. Other schemes fail permanently as
/// <c>unsupported-source</c>.
/// </summary>
internal sealed class FileTrackAudioLoader(AudioDecoder decoder) : ITrackAudioLoader
{
    public Task<DecodedAudio> LoadAsync(Track track, int sampleRate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(track);
        return decoder.DecodeAsync(LocalPath(track.AudioUri), sampleRate, cancellationToken: cancellationToken);
    }

    private static string LocalPath(string audioUri)
    {
        if (Uri.TryCreate(audioUri, UriKind.Absolute, out var uri) && uri.IsFile)
        {
            return uri.LocalPath;
        }
        if (Path.IsPathFullyQualified(audioUri))
        {
            return audioUri;
        }
        throw new IndexingFailureException(new IndexingFailure("unsupported-source", $"the audio URI '{audioUri}' is neither a file:// URI nor an absolute path", Permanent: true));
    }
}

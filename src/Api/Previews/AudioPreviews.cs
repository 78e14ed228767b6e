using MusicSearch.Api.Errors;
using MusicSearch.Core.Audio.Sources;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;

namespace MusicSearch.Api.Previews;

/// <summary>An opened preview: a seekable stream of the whole file (ranges are served from it) and its media type.</summary>
public sealed record PreviewFile(Stream Content, string ContentType, DateTimeOffset LastModified);

/// <summary>
/// Opens a track's audio for streaming to a browser. Library files go through the same <see cref="AudioSourceResolver"/>
/// rules as indexing (inside the library roots by their real path, no escape through links); the file is then reopened
/// through the checked descriptor (<c>/proc/self/fd/N</c>), which gives a seekable stream of exactly the file that was
/// checked. Audio that lives at an http(s) URL is not proxied: the Api would become an open relay for the catalog's
/// hosts and pay their bandwidth, so such tracks answer 404 naming the reason (the app can play the URL itself).
/// </summary>
public sealed class AudioPreviews(ITrackCollections collections, AudioSourceResolver sources)
{
    /// <exception cref="TrackNotFoundException">No such track in the active collection.</exception>
    /// <exception cref="PreviewUnavailableException">Remote audio, or a file that is missing, empty or outside the library.</exception>
    public async Task<PreviewFile> OpenAsync(TrackId trackId, CancellationToken cancellationToken)
    {
        var active = await collections.GetActiveAsync(cancellationToken).ConfigureAwait(false) ?? throw new NoActiveCollectionException();
        var record = await active.GetAsync(trackId, withVectors: false, cancellationToken).ConfigureAwait(false)
            ?? throw new TrackNotFoundException($"no track '{trackId}' in the catalog");
        var uri = record.Track.AudioUri;
        if (uri.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || uri.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            throw new PreviewUnavailableException($"track '{trackId}' streams from a remote URL; previews are served for library files only");
        }
        IAudioSource source;
        try
        {
            source = await sources.OpenAsync(uri, cancellationToken).ConfigureAwait(false);
        }
        catch (AudioSourceException ex)
        {
            throw ex.Kind switch
            {
                AudioSourceError.NotAllowed => new PreviewUnavailableException($"the audio of track '{trackId}' is outside the library roots", StatusCodes.Status403Forbidden),
                AudioSourceError.NotFound or AudioSourceError.Empty or AudioSourceError.InvalidUri =>
                    new PreviewUnavailableException($"the audio file of track '{trackId}' is missing or empty"),
                _ => new PreviewUnavailableException($"the audio of track '{trackId}' cannot be read now", StatusCodes.Status503ServiceUnavailable),
            };
        }
        await using (source.ConfigureAwait(false))
        {
            var descriptor = source.DescriptorPath ?? throw new PreviewUnavailableException($"track '{trackId}' has no local audio file");
            // A new open file description of the checked file: its own offset, so ranges can seek; it outlives the source.
            var content = new FileStream(descriptor, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 64 * 1024, useAsync: true);
            return new PreviewFile(content, AudioContentTypes.For(source.Location), File.GetLastWriteTimeUtc(content.SafeFileHandle));
        }
    }
}

namespace MusicSearch.Core.Audio.Sources;

/// <summary>
/// The indexing pipeline's one call for a track's audio: opens its address through <see cref="AudioSourceResolver"/>
/// and streams the bytes into ffmpeg's stdin, so ffmpeg never opens a URL or a path itself.
/// </summary>
public sealed class AudioSourceDecoder
{
    private readonly AudioSourceResolver _sources;
    private readonly AudioDecoder _decoder;

    public AudioSourceDecoder(AudioSourceResolver sources, AudioDecoder decoder)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(decoder);
        _sources = sources;
        _decoder = decoder;
    }

    /// <summary>
    /// Fetches and decodes a whole track to mono float PCM. Fetching and decoding overlap: ffmpeg decodes as the
    /// bytes arrive. What a decode from a stream cannot check is listed on
    /// <see cref="AudioDecoder.StreamAsync(Stream, string, int, CancellationToken)"/>.
    /// </summary>
    /// <exception cref="AudioException">
    /// An <see cref="AudioSourceException"/> when the audio cannot be had, an <see cref="AudioDecodeException"/> when
    /// it cannot be decoded; <see cref="AudioException.IsTransient"/> says whether a retry may succeed.
    /// </exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; ffmpeg and the transfer have been stopped.</exception>
    public async Task<DecodedAudio> DecodeAsync(string audioUri, int sampleRate, CancellationToken cancellationToken = default)
    {
        var source = await _sources.OpenAsync(audioUri, cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            return await _decoder.DecodeAsync(source.Content, source.Location, sampleRate, cancellationToken).ConfigureAwait(false);
        }
    }
}

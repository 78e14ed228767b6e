namespace MusicSearch.Core.Audio.Sources;

/// <summary>
/// The indexing pipeline's one call for a track's audio: opens its address through <see cref="AudioSourceResolver"/>,
/// then lets ffmpeg read a library file through the descriptor this process holds on it
/// (<see cref="IAudioSource.DescriptorPath"/>: the checked file and nothing else, seekable), and streams web audio
/// into ffmpeg's stdin. Either way ffmpeg never opens a URL or a path of its own choosing, and only single-file
/// audio formats are allowed (no playlist or concat demuxer that could name other files).
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
            if (source.DescriptorPath is not { } descriptor)
            {
                return await _decoder.DecodeAsync(source.Content, source.Location, sampleRate, cancellationToken).ConfigureAwait(false);
            }
            try
            {
                return await _decoder.DecodeAsync(descriptor, sampleRate, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (AudioDecodeException error) when (error.Path == descriptor)
            {
                // Operators know the file by its name, not by this process's descriptor number.
                throw error.About(source.Location);
            }
        }
    }
}

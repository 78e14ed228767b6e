using System.Buffers;
using System.Runtime.CompilerServices;

namespace MusicSearch.Core.Audio;

/// <summary>
/// Decodes audio files to mono float PCM at a chosen sample rate by running ffmpeg (soxr resampling; stereo is
/// down-mixed as (L + R) / √2, ffmpeg's default, so loud correlated stereo can exceed ±1).
/// </summary>
/// <remarks>
/// Each call first runs ffprobe, then ffmpeg, within one <see cref="AudioDecoderOptions.Timeout"/>. Failures are
/// <see cref="AudioDecodeException"/>s; cancelling the token throws <see cref="OperationCanceledException"/>.
/// Either way the child process has been killed and reaped before the exception reaches the caller.
/// </remarks>
public sealed class AudioDecoder
{
    private readonly AudioDecoderOptions _options;

    public AudioDecoder(AudioDecoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>
    /// Streams the samples of the whole file, or of <paramref name="range"/>, as ffmpeg produces them. Each chunk lives
    /// in a reused buffer: copy what you keep before moving on. Some failures (a truncated or corrupt file) can only
    /// be seen at the end and are thrown by the final MoveNextAsync, so read to the end before trusting the audio;
    /// stopping early is fine and kills ffmpeg.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The range starts at or after the end of the file.</exception>
    public IAsyncEnumerable<ReadOnlyMemory<float>> StreamAsync(
        string path, int sampleRate, AudioRange? range = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        return StreamChunksAsync(path, sampleRate, range ?? AudioRange.WholeFile, cancellationToken);
    }

    /// <summary>Decodes the whole file, or <paramref name="range"/>, into one array.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range starts at or after the end of the file.</exception>
    public async Task<DecodedAudio> DecodeAsync(
        string path, int sampleRate, AudioRange? range = null, CancellationToken cancellationToken = default)
    {
        var samples = new ArrayBufferWriter<float>();
        await foreach (var chunk in StreamAsync(path, sampleRate, range, cancellationToken).ConfigureAwait(false))
        {
            samples.Write(chunk.Span);
        }

        return new DecodedAudio(samples.WrittenSpan.ToArray(), sampleRate);
    }

    private async IAsyncEnumerable<ReadOnlyMemory<float>> StreamChunksAsync(
        string path, int sampleRate, AudioRange range, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var deadline = new CallDeadline(_options.Timeout, cancellationToken);
        var session = await DecodeSession.OpenAsync(path, sampleRate, range, _options, deadline).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            while (await session.ReadChunkAsync().ConfigureAwait(false) is { IsEmpty: false } chunk)
            {
                yield return chunk;
            }

            await session.CompleteAsync().ConfigureAwait(false);
        }
    }
}

using System.Buffers;
using System.Runtime.CompilerServices;

namespace MusicSearch.Core.Audio;

/// <summary>
/// Decodes audio files, or streams of audio bytes, to mono float PCM at a chosen sample rate by running ffmpeg (soxr
/// resampling; stereo is down-mixed as (L + R) / √2, ffmpeg's default, so loud correlated stereo can exceed ±1).
/// </summary>
/// <remarks>
/// A file is first probed with ffprobe, then decoded by ffmpeg, within one <see cref="AudioDecoderOptions.Timeout"/>.
/// A stream goes straight to ffmpeg's stdin; see <see cref="StreamAsync(Stream, string, int, CancellationToken)"/>
/// for what that cannot check. Failures are <see cref="AudioDecodeException"/>s; cancelling the token throws
/// <see cref="OperationCanceledException"/>. Either way the child process has been killed and reaped before the
/// exception reaches the caller.
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
        var wanted = range ?? AudioRange.WholeFile;
        return StreamChunksAsync(
            deadline => DecodeSession.OpenAsync(path, sampleRate, wanted, _options, deadline), cancellationToken);
    }

    /// <summary>
    /// Streams the samples of audio read from <paramref name="input"/>, which is copied to ffmpeg's stdin as ffmpeg
    /// consumes it, so that ffmpeg opens nothing itself. Chunks behave as with a file. <paramref name="inputName"/>
    /// names the input in errors, e.g. by the URI it came from.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Without a seekable file there is no probe, hence no container duration: a stream that stops early is only
    /// caught when the cut breaks a frame (then Corrupt), never as Truncated; <see cref="AudioDecoderOptions.MaxDuration"/>
    /// is enforced as the samples arrive, not up front; a stream ffmpeg cannot read at all is NotAudio. Formats
    /// that need seeking cannot be decoded this way: an MP4/M4A whose index (moov) follows the audio fails unless
    /// it was written for streaming ("faststart"), and the encoder padding that an MP3's LAME header announces
    /// is not trimmed (a few ms more audio at the end).
    /// </para>
    /// <para>
    /// An exception thrown while reading <paramref name="input"/> stops ffmpeg and is rethrown unchanged, so the
    /// input's own errors reach the caller rather than a decode error about a cut-off stream. The input is read
    /// on another thread and is not disposed; its reads are given a token that ends when the call does.
    /// </para>
    /// </remarks>
    public IAsyncEnumerable<ReadOnlyMemory<float>> StreamAsync(
        Stream input, string inputName, int sampleRate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputName);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        return StreamChunksAsync(
            deadline => Task.FromResult(DecodeSession.OpenStandardInput(input, inputName, sampleRate, _options, deadline)),
            cancellationToken);
    }

    /// <summary>Decodes the whole file, or <paramref name="range"/>, into one array.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range starts at or after the end of the file.</exception>
    public Task<DecodedAudio> DecodeAsync(
        string path, int sampleRate, AudioRange? range = null, CancellationToken cancellationToken = default) =>
        CollectAsync(StreamAsync(path, sampleRate, range, cancellationToken), sampleRate);

    /// <summary>Decodes all the audio read from <paramref name="input"/> into one array.</summary>
    /// <inheritdoc cref="StreamAsync(Stream, string, int, CancellationToken)" path="/remarks"/>
    public Task<DecodedAudio> DecodeAsync(
        Stream input, string inputName, int sampleRate, CancellationToken cancellationToken = default) =>
        CollectAsync(StreamAsync(input, inputName, sampleRate, cancellationToken), sampleRate);

    private static async Task<DecodedAudio> CollectAsync(IAsyncEnumerable<ReadOnlyMemory<float>> chunks, int sampleRate)
    {
        var samples = new ArrayBufferWriter<float>();
        await foreach (var chunk in chunks.ConfigureAwait(false))
        {
            samples.Write(chunk.Span);
        }

        return new DecodedAudio(samples.WrittenSpan.ToArray(), sampleRate);
    }

    private async IAsyncEnumerable<ReadOnlyMemory<float>> StreamChunksAsync(
        Func<CallDeadline, Task<DecodeSession>> open, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var deadline = new CallDeadline(_options.Timeout, cancellationToken);
        var session = await open(deadline).ConfigureAwait(false);
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

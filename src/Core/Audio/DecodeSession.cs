using System.Buffers;

namespace MusicSearch.Core.Audio;

/// <summary>
/// One running ffmpeg decode: hands out samples in chunks from a pooled buffer, enforces the length limit as they
/// arrive, and judges the whole once ffmpeg finishes.
/// </summary>
internal sealed class DecodeSession : IAsyncDisposable
{
    // The default capacity of a Linux pipe, so one read usually takes everything ffmpeg has written so far.
    private const int ChunkBytes = 64 * 1024;

    private readonly ToolRun _ffmpeg;
    private readonly DecodePlan _plan;
    private readonly string _inputName;
    private readonly int _sampleRate;
    private readonly byte[] _bytes = ArrayPool<byte>.Shared.Rent(ChunkBytes);
    private readonly float[] _samples = ArrayPool<float>.Shared.Rent(ChunkBytes / sizeof(float));
    private int _partialSampleBytes;
    private long _produced;

    private DecodeSession(ToolRun ffmpeg, DecodePlan plan, string inputName, int sampleRate)
    {
        _ffmpeg = ffmpeg;
        _plan = plan;
        _inputName = inputName;
        _sampleRate = sampleRate;
    }

    /// <summary>Probes the file, checks the request against what it holds, and starts ffmpeg.</summary>
    public static async Task<DecodeSession> OpenAsync(
        string path, int sampleRate, AudioRange range, AudioDecoderOptions options, CallDeadline deadline)
    {
        var fullPath = AudioPath.Resolve(path);
        var metadata = await new AudioMetadataReader(options).ReadAsync(fullPath, deadline).ConfigureAwait(false);
        var plan = DecodePlan.Create(metadata, sampleRate, range, options, fullPath);
        var ffmpeg = ToolRun.Start(options.FfmpegPath, FfmpegArguments.Decode(fullPath, sampleRate, range), fullPath, deadline);
        return new DecodeSession(ffmpeg, plan, fullPath, sampleRate);
    }

    /// <summary>
    /// Starts ffmpeg on stdin and feeds it the input. There is no probe: ffprobe would consume the stream that
    /// ffmpeg needs, so the length checks that rely on the container's stated duration do not apply.
    /// </summary>
    public static DecodeSession OpenStandardInput(
        Stream input, string inputName, int sampleRate, AudioDecoderOptions options, CallDeadline deadline)
    {
        var ffmpeg = ToolRun.Start(options.FfmpegPath, FfmpegArguments.DecodeStandardInput(sampleRate), inputName, deadline, input);
        return new DecodeSession(ffmpeg, DecodePlan.Unprobed(sampleRate, options), inputName, sampleRate);
    }

    /// <summary>The next samples, or none once ffmpeg has finished writing. Valid only until the next call.</summary>
    public async ValueTask<ReadOnlyMemory<float>> ReadChunkAsync()
    {
        while (true)
        {
            var free = _bytes.AsMemory(_partialSampleBytes, ChunkBytes - _partialSampleBytes);
            var read = await _ffmpeg.GuardAsync(token => _ffmpeg.Output.BaseStream.ReadAsync(free, token)).ConfigureAwait(false);
            if (read == 0)
            {
                return ReadOnlyMemory<float>.Empty;
            }

            // A pipe read can end inside a sample; its first bytes wait at the front of the buffer for the rest.
            var available = _partialSampleBytes + read;
            var count = available / sizeof(float);
            var wholeBytes = count * sizeof(float);
            Buffer.BlockCopy(_bytes, 0, _samples, 0, wholeBytes);
            _partialSampleBytes = available - wholeBytes;
            Buffer.BlockCopy(_bytes, wholeBytes, _bytes, 0, _partialSampleBytes);
            if (count == 0)
            {
                continue;
            }

            _produced += count;
            if (_plan.CheckLimit(_produced) is { } failure)
            {
                throw await _ffmpeg.FailAsync(failure.Kind, failure.Reason).ConfigureAwait(false);
            }

            return _samples.AsMemory(0, count);
        }
    }

    /// <summary>Waits for ffmpeg to exit and throws if what it produced cannot be trusted.</summary>
    public async Task CompleteAsync()
    {
        var outcome = await _ffmpeg.FinishAsync().ConfigureAwait(false);
        var diagnostics = outcome.Diagnostics;
        var reached = diagnostics.OutputReach is { } reach ? (long)Math.Round(reach.TotalSeconds * _sampleRate) : (long?)null;
        var complained = outcome.ExitCode != 0 || diagnostics.MessageCount > 0;
        if (_plan.Judge(_produced, reached, complained) is { } failure)
        {
            throw new AudioDecodeException(failure.Kind, _inputName, failure.Reason, diagnostics.Excerpt);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _ffmpeg.DisposeAsync().ConfigureAwait(false);
        ArrayPool<byte>.Shared.Return(_bytes);
        ArrayPool<float>.Shared.Return(_samples);
    }
}

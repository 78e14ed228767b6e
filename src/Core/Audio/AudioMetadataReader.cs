using System.Text.Json;

namespace MusicSearch.Core.Audio;

/// <summary>Reads a file's duration, format and tags with ffprobe.</summary>
public sealed class AudioMetadataReader
{
    private readonly AudioDecoderOptions _options;

    public AudioMetadataReader(AudioDecoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <exception cref="AudioDecodeException">NotFound, NotAudio or TimedOut.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; ffprobe has been killed.</exception>
    public async Task<AudioMetadata> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var fullPath = AudioPath.Resolve(path);
        using var deadline = new CallDeadline(_options.Timeout, cancellationToken);
        return await ReadAsync(fullPath, deadline).ConfigureAwait(false);
    }

    /// <summary>Probes a path already resolved by <see cref="AudioPath"/>, within a deadline the caller owns.</summary>
    internal async Task<AudioMetadata> ReadAsync(string fullPath, CallDeadline deadline)
    {
        var ffprobe = ToolRun.Start(_options.FfprobePath, FfmpegArguments.Probe(fullPath), fullPath, deadline);
        await using (ffprobe.ConfigureAwait(false))
        {
            var json = await ffprobe.GuardAsync(token => new ValueTask<string>(ffprobe.Output.ReadToEndAsync(token))).ConfigureAwait(false);
            var outcome = await ffprobe.FinishAsync().ConfigureAwait(false);
            if (outcome.ExitCode != 0)
            {
                throw NotAudio(fullPath, "ffprobe cannot read it as media", outcome);
            }

            var metadata = TryParse(json) ?? throw NotAudio(fullPath, "it has no decodable audio stream", outcome);
            return outcome.Diagnostics.DurationWasGuessed ? metadata with { Duration = null } : metadata;
        }
    }

    private static AudioMetadata? TryParse(string json)
    {
        try
        {
            return FfprobeOutputParser.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static AudioDecodeException NotAudio(string fullPath, string reason, ToolOutcome outcome) =>
        new(AudioDecodeError.NotAudio, fullPath, reason, outcome.Diagnostics.Excerpt);
}

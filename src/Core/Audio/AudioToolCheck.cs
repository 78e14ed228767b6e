namespace MusicSearch.Core.Audio;

/// <summary>The first line of <c>-version</c> of each audio tool.</summary>
public sealed record AudioToolVersions(string Ffmpeg, string Ffprobe);

/// <summary>
/// Starts ffmpeg and ffprobe once with <c>-version</c>, so hosts can report a missing or broken install at start-up
/// and in readiness checks instead of failing on the first track.
/// </summary>
public sealed class AudioToolCheck(AudioDecoderOptions options)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    /// <exception cref="InvalidOperationException">A tool cannot be started or does not answer.</exception>
    public async Task<AudioToolVersions> RunAsync(CancellationToken cancellationToken = default) =>
        new(await VersionOfAsync(options.FfmpegPath, cancellationToken).ConfigureAwait(false),
            await VersionOfAsync(options.FfprobePath, cancellationToken).ConfigureAwait(false));

    private static async Task<string> VersionOfAsync(string executable, CancellationToken cancellationToken)
    {
        using var deadline = new CallDeadline(Limit, cancellationToken);
        var run = ToolRun.Start(executable, ["-hide_banner", "-version"], executable, deadline);
        await using (run.ConfigureAwait(false))
        {
            try
            {
                var text = await run.GuardAsync(token => new ValueTask<string>(run.Output.ReadToEndAsync(token))).ConfigureAwait(false);
                var outcome = await run.FinishAsync().ConfigureAwait(false);
                var firstLine = text.Split('\n', 2)[0].Trim();
                return outcome.ExitCode == 0 && firstLine.Length > 0
                    ? firstLine
                    : throw new InvalidOperationException($"'{executable} -version' exited with {outcome.ExitCode}: {outcome.Diagnostics.Excerpt}");
            }
            catch (AudioDecodeException ex) when (ex.Kind == AudioDecodeError.TimedOut)
            {
                throw new InvalidOperationException($"'{executable} -version' did not answer within {Limit}.", ex);
            }
        }
    }
}

using System.ComponentModel;
using System.Diagnostics;

namespace MusicSearch.Core.Audio;

/// <summary>The exit code and stderr of a finished tool.</summary>
internal sealed record ToolOutcome(int ExitCode, ToolDiagnostics Diagnostics);

/// <summary>
/// One ffmpeg or ffprobe child process: started without a shell, stdin closed or fed from a stream, stderr drained
/// on the side, and killed together with anything it spawned, then reaped, however the run ends.
/// </summary>
internal sealed class ToolRun : IAsyncDisposable
{
    private readonly Process _process;
    private readonly CallDeadline _deadline;
    private readonly string _audioPath;
    private readonly string _toolName;
    private readonly Task<ToolDiagnostics> _diagnostics;
    private readonly CancellationTokenRegistration _killOnCancel;
    private readonly StdinFeed? _feed;

    private ToolRun(Process process, CallDeadline deadline, string audioPath, Stream? input)
    {
        _process = process;
        _deadline = deadline;
        _audioPath = audioPath;
        _toolName = Path.GetFileName(process.StartInfo.FileName);
        _diagnostics = ToolDiagnostics.CollectAsync(process.StandardError);
        _feed = input is null ? null : new StdinFeed(input, process.StandardInput.BaseStream, Kill, deadline.Token);
        // Kill the moment the deadline passes or the caller cancels, even if nobody is reading our output then.
        _killOnCancel = deadline.Token.Register(static run => ((ToolRun)run!).Kill(), this);
    }

    /// <summary>The tool's stdout.</summary>
    public StreamReader Output => _process.StandardOutput;

    /// <summary>Starts the tool; <paramref name="input"/>, if any, is copied to its stdin while it runs, else stdin is closed.</summary>
    public static ToolRun Start(string executable, IEnumerable<string> arguments, string audioPath, CallDeadline deadline, Stream? input = null)
    {
        // Starting a process only to kill it at once would be wasted work.
        deadline.CallerToken.ThrowIfCancellationRequested();
        var startInfo = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception exception)
        {
            process.Dispose();
            throw new InvalidOperationException(
                $"Could not start '{executable}'. Is ffmpeg installed, and is the path in {nameof(AudioDecoderOptions)} right?",
                exception);
        }

        if (input is null)
        {
            // With stdin closed nothing can ever wait on it.
            process.StandardInput.Close();
        }

        return new ToolRun(process, deadline, audioPath, input);
    }

    /// <summary>
    /// Awaits one step of talking to the tool. The deadline becomes <see cref="AudioDecodeError.TimedOut"/>; the
    /// caller's cancellation becomes an <see cref="OperationCanceledException"/> carrying the caller's own token;
    /// a failed read of the input is rethrown as it was thrown (the read killed the tool, which ended its output).
    /// </summary>
    public async ValueTask<T> GuardAsync<T>(Func<CancellationToken, ValueTask<T>> step)
    {
        try
        {
            var result = await step(_deadline.Token).ConfigureAwait(false);
            _feed?.ThrowIfInputFailed();
            // A kill on cancellation closes the tool's pipes, which a read reports as an ordinary end of output.
            _deadline.Token.ThrowIfCancellationRequested();
            return result;
        }
        catch (OperationCanceledException) when (_deadline.HasExpired)
        {
            throw await FailAsync(AudioDecodeError.TimedOut, $"{_toolName} did not finish within {_deadline.Limit}").ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (_deadline.CallerToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("Audio decoding was cancelled.", exception, _deadline.CallerToken);
        }
    }

    /// <summary>Waits for the tool to exit by itself and for the last of its stderr.</summary>
    public async Task<ToolOutcome> FinishAsync() =>
        await GuardAsync(async token =>
        {
            await _process.WaitForExitAsync(token).ConfigureAwait(false);
            return new ToolOutcome(_process.ExitCode, await _diagnostics.WaitAsync(token).ConfigureAwait(false));
        }).ConfigureAwait(false);

    /// <summary>Stops the tool and builds the failure to throw, with everything it wrote to stderr.</summary>
    public async Task<AudioDecodeException> FailAsync(AudioDecodeError kind, string reason)
    {
        var diagnostics = await StopAsync().ConfigureAwait(false);
        return new AudioDecodeException(kind, _audioPath, reason, diagnostics.Excerpt);
    }

    public async ValueTask DisposeAsync()
    {
        // Unregistering waits for a running callback, so no kill can touch the process once it is disposed.
        await _killOnCancel.DisposeAsync().ConfigureAwait(false);
        await StopAsync().ConfigureAwait(false);
        _feed?.Dispose();
        _process.Dispose();
    }

    private async Task<ToolDiagnostics> StopAsync()
    {
        Kill();
        await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        if (_feed is not null)
        {
            await _feed.StopAsync().ConfigureAwait(false);
        }

        return await _diagnostics.ConfigureAwait(false);
    }

    // A no-op once the process has exited.
    private void Kill() => _process.Kill(entireProcessTree: true);
}

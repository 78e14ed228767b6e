using System.Buffers;
using System.Runtime.ExceptionServices;

namespace MusicSearch.Core.Audio;

/// <summary>
/// Copies a caller's stream into a tool's stdin on the side, while the tool's stdout is read, and closes stdin at
/// the end so the tool sees the end of its input. It never throws. A failed read of the input is kept for
/// <see cref="ThrowIfInputFailed"/> and stops the tool, so that the decode fails with the input's own error
/// rather than with whatever the tool makes of a cut-off stream. A failed write only means that the tool stopped
/// reading (it exited or was killed); its own outcome says why.
/// </summary>
internal sealed class StdinFeed : IDisposable
{
    // The capacity of a Linux pipe: one write fills it without blocking on a tool that keeps up.
    private const int ChunkBytes = 64 * 1024;

    private readonly CancellationTokenSource _stop;
    private readonly Task _copy;
    private ExceptionDispatchInfo? _inputFailure;

    /// <param name="input">Read to its end; not disposed.</param>
    /// <param name="stdin">The tool's stdin; disposed at the end.</param>
    /// <param name="stopTool">Kills the tool; called when reading the input fails.</param>
    /// <param name="runToken">Ends the copy quietly: the run is over (its deadline passed or its caller cancelled).</param>
    public StdinFeed(Stream input, Stream stdin, Action stopTool, CancellationToken runToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(runToken);
        _copy = Task.Run(() => CopyAsync(input, stdin, stopTool, _stop.Token), CancellationToken.None);
    }

    /// <summary>Rethrows, with its original stack, the exception that reading the input failed with, if any.</summary>
    public void ThrowIfInputFailed() => Volatile.Read(ref _inputFailure)?.Throw();

    /// <summary>
    /// Ends the copy and waits for it. Call it after killing the tool: the kill unblocks a write to stdin, the
    /// cancellation a read of an input that went quiet. Never throws; may be called more than once.
    /// </summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _copy.ConfigureAwait(false);
    }

    public void Dispose() => _stop.Dispose();

    private async Task CopyAsync(Stream input, Stream stdin, Action stopTool, CancellationToken token)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await input.ReadAsync(buffer, token).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // Whatever the input throws is its failure, handed to the caller by ThrowIfInputFailed.
                catch (Exception exception) when (!token.IsCancellationRequested)
#pragma warning restore CA1031
                {
                    // Recorded before the kill, so whoever sees the tool's output end also sees why.
                    Volatile.Write(ref _inputFailure, ExceptionDispatchInfo.Capture(exception));
                    stopTool();
                    return;
                }

                if (read == 0)
                {
                    return;
                }

                await stdin.WriteAsync(buffer.AsMemory(0, read), token).ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // Broken pipe: the tool no longer reads its stdin.
        }
#pragma warning disable CA1031 // Once the run is over, how the copy broke off no longer matters.
        catch (Exception) when (token.IsCancellationRequested)
#pragma warning restore CA1031
        {
            // The run ended or is being torn down; its own outcome is what counts.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            CloseQuietly(stdin);
        }
    }

    private static void CloseQuietly(Stream stdin)
    {
        try
        {
            stdin.Dispose();
        }
        catch (IOException)
        {
            // The tool is already gone.
        }
    }
}

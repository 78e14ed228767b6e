using System.Diagnostics;
using MusicSearch.Core.Audio;

namespace MusicSearch.Core.Tests.Audio.Support;

/// <summary>Asserts that a call fails the expected way, promptly, and leaves no ffmpeg or ffprobe process behind.</summary>
internal static class ExpectFailure
{
    // A guard against hangs, not a performance bound: every failure here takes well under a second.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(10);

    public static async Task<AudioDecodeException> DecodeErrorAsync(AudioDecodeError kind, Func<Task> call)
    {
        var exception = await ThrowsQuicklyAsync<AudioDecodeException>(call);
        Assert.Equal(kind, exception.Kind);
        return exception;
    }

    public static async Task<TException> ThrowsQuicklyAsync<TException>(Func<Task> call)
        where TException : Exception
    {
        var clock = Stopwatch.StartNew();
        // A hang surfaces as WaitAsync's TimeoutException, which fails the type check.
        var exception = await Assert.ThrowsAnyAsync<TException>(() => call().WaitAsync(HangGuard));
        Assert.True(clock.Elapsed < HangGuard, $"Took {clock.Elapsed}.");
        Assert.Empty(ChildProcesses.FfmpegTools());
        return exception;
    }
}

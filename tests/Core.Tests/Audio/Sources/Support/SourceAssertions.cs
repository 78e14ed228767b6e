using MusicSearch.Core.Audio.Sources;
using MusicSearch.Core.Tests.Audio.Support;

namespace MusicSearch.Core.Tests.Audio.Sources.Support;

internal static class SourceAssertions
{
    /// <summary>The call fails promptly with this kind of source error, leaving no ffmpeg behind.</summary>
    public static async Task<AudioSourceException> FailsAsync(AudioSourceError kind, Func<Task> call)
    {
        var exception = await ExpectFailure.ThrowsQuicklyAsync<AudioSourceException>(call);
        Assert.Equal(kind, exception.Kind);
        return exception;
    }
}

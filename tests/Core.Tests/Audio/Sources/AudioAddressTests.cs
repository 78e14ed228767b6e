using MusicSearch.Core.Audio.Sources;

namespace MusicSearch.Core.Tests.Audio.Sources;

public sealed class AudioAddressTests : IDisposable
{
    private readonly AudioSourceResolver _resolver = new(new AudioSourceOptions { AllowedHosts = ["example.com"], AllowHttp = true });

    [Theory]
    [InlineData("ftp://example.com/song.mp3")]
    [InlineData("data:audio/mpeg;base64,SUQz")]
    [InlineData("javascript:alert(1)")]
    [InlineData("gopher://example.com/1")]
    [InlineData("file://fileserver/share/song.mp3")]
    [InlineData("music/song.mp3")]
    [InlineData("song.mp3")]
    [InlineData("")]
    [InlineData("/music/a\0/../../etc/passwd")]
    [InlineData("file:///music/a%00b.mp3")]
    [InlineData("https://user:password@example.com/song.mp3")]
    public async Task Anything_but_a_local_file_or_an_http_url_is_an_invalid_address(string address)
    {
        var exception = await Assert.ThrowsAsync<AudioSourceException>(() => _resolver.OpenAsync(address));

        Assert.Equal(AudioSourceError.InvalidUri, exception.Kind);
        Assert.False(exception.IsTransient);
        Assert.DoesNotContain("password", exception.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _resolver.Dispose();
}

using MusicSearch.Core.Audio.Sources;

namespace MusicSearch.Core.Tests.Audio.Sources;

public sealed class HostAllowListTests
{
    private static readonly HostAllowList Hosts = new(["Media.Example.COM", "*.cdn.example.net", "127.0.0.1", "::1", "bücher.example"]);

    [Theory]
    [InlineData("https://media.example.com/a.flac")]
    [InlineData("https://MEDIA.example.com:8443/a.flac")]
    [InlineData("https://media.example.com./a.flac")]
    [InlineData("https://eu.cdn.example.net/a.flac")]
    [InlineData("https://a.b.cdn.example.net/a.flac")]
    [InlineData("http://127.0.0.1:5000/a.flac")]
    [InlineData("http://127.1/a.flac")]
    [InlineData("http://2130706433/a.flac")]
    [InlineData("http://[::1]:5000/a.flac")]
    [InlineData("https://xn--bcher-kva.example/a.flac")]
    public void Listed_hosts_are_allowed_in_any_spelling_of_the_same_name(string url)
    {
        Assert.True(Hosts.Allows(new Uri(url)));
    }

    [Theory]
    [InlineData("https://example.com/a.flac")]
    [InlineData("https://evil-media.example.com/a.flac")]
    [InlineData("https://media.example.com.evil.org/a.flac")]
    [InlineData("https://cdn.example.net/a.flac")] // The wildcard covers subdomains, not the domain itself.
    [InlineData("https://evilcdn.example.net/a.flac")]
    [InlineData("http://127.0.0.2/a.flac")]
    [InlineData("http://localhost/a.flac")]
    public void Other_hosts_are_not(string url)
    {
        Assert.False(Hosts.Allows(new Uri(url)));
    }

    [Theory]
    [InlineData("example.com:8080")]
    [InlineData("https://example.com")]
    [InlineData("*")]
    [InlineData("*.127.0.0.1")]
    [InlineData("exa mple.com")]
    [InlineData("")]
    public void An_entry_that_is_not_a_host_is_a_configuration_error(string entry)
    {
        Assert.Throws<ArgumentException>(() => new HostAllowList([entry]));
    }
}

using Microsoft.Extensions.Configuration;
using MusicSearch.Core.Audio.Sources;

namespace MusicSearch.Core.Tests.Audio.Sources;

public sealed class AudioSourceOptionsTests
{
    [Fact]
    public void The_defaults_allow_nothing_and_refuse_plain_http()
    {
        var options = new AudioSourceOptions();

        Assert.Empty(options.LibraryRoots);
        Assert.Empty(options.AllowedHosts);
        Assert.False(options.AllowHttp);
        Assert.Equal(2L << 30, options.MaxBytes);
    }

    [Fact]
    public void The_options_bind_from_the_configuration_keys_the_readme_lists()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Audio:Sources:LibraryRoots:0"] = "/srv/music",
            ["Audio:Sources:LibraryRoots:1"] = "/mnt/archive",
            ["Audio:Sources:AllowedHosts:0"] = "media.example.com",
            ["Audio:Sources:AllowHttp"] = "true",
            ["Audio:Sources:MaxBytes"] = "1000000",
            ["Audio:Sources:Timeout"] = "00:05:00",
            ["Audio:Sources:ConnectTimeout"] = "00:00:03",
            ["Audio:Sources:MaxRedirects"] = "2",
        }).Build();

        var options = configuration.GetSection(AudioSourceOptions.SectionName).Get<AudioSourceOptions>()!;

        Assert.Equal(["/srv/music", "/mnt/archive"], options.LibraryRoots);
        Assert.Equal(["media.example.com"], options.AllowedHosts);
        Assert.True(options.AllowHttp);
        Assert.Equal(1_000_000, options.MaxBytes);
        Assert.Equal(TimeSpan.FromMinutes(5), options.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(3), options.ConnectTimeout);
        Assert.Equal(2, options.MaxRedirects);
    }
}

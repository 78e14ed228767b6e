using MusicSearch.Core.Audio;

namespace MusicSearch.Core.Tests.Audio;

public sealed class FfprobeOutputParserTests
{
    [Fact]
    public void Tags_match_whatever_their_case_and_the_format_wins_over_the_stream()
    {
        const string json = """
            {
              "streams": [{ "codec_name": "vorbis", "sample_rate": "44100", "channels": 2, "duration": "12.5",
                            "tags": { "TITLE": "Stream title", "Artist": "Stream artist", "GENRE": "" } }],
              "format": { "format_name": "ogg", "bit_rate": "128000", "tags": { "title": "Format title" } }
            }
            """;

        var metadata = FfprobeOutputParser.Parse(json);

        Assert.NotNull(metadata);
        Assert.Equal(new AudioTags("Format title", "Stream artist", null, null, null, null), metadata.Tags);
        Assert.Equal(TimeSpan.FromSeconds(12.5), metadata.Duration);
        Assert.Equal(128_000, metadata.BitRate);
    }

    [Fact]
    public void The_format_duration_stands_in_when_the_stream_has_none()
    {
        const string json = """
            { "streams": [{ "codec_name": "opus", "sample_rate": "48000", "channels": 1 }],
              "format": { "format_name": "matroska,webm", "duration": "7.000000" } }
            """;

        Assert.Equal(TimeSpan.FromSeconds(7), FfprobeOutputParser.Parse(json)?.Duration);
    }

    [Theory]
    [InlineData("""{ "streams": [], "format": { "format_name": "mp3" } }""")]
    [InlineData("""{ "streams": [{ "codec_name": "mp3", "sample_rate": "0", "channels": 0 }], "format": { "format_name": "mp3" } }""")]
    [InlineData("""{ }""")]
    public void No_stream_with_a_rate_and_channels_means_no_audio(string json)
    {
        Assert.Null(FfprobeOutputParser.Parse(json));
    }
}

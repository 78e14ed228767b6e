using MusicSearch.Core.Audio;
using MusicSearch.Core.Tests.Audio.Support;

namespace MusicSearch.Core.Tests.Audio;

public sealed class MetadataTests(MetadataTests.Files files) : IClassFixture<MetadataTests.Files>
{
    private const string Title = "Ünïcode Title — Part 1";

    private readonly AudioMetadataReader _reader = new(new AudioDecoderOptions());

    public sealed class Files : GeneratedAudio
    {
        private static readonly string[] TagArguments =
        [
            "-metadata", $"title={Title}", "-metadata", "artist=The Artist", "-metadata", "album=The Album",
            "-metadata", "genre=Rock", "-metadata", "date=2021", "-metadata", "track=3/12",
        ];

        protected override IEnumerable<AudioRecipe> Recipes =>
        [
            AudioRecipe.Tone("tagged.mp3", 44100, channels: 2).WithArguments(TagArguments),
            AudioRecipe.Tone("tagged.flac", 48000, channels: 1).WithArguments(TagArguments),
            AudioRecipe.Tone("tagged.ogg", 22050, channels: 2).WithArguments(TagArguments),
            AudioRecipe.Tone("tagged.opus", 48000, channels: 2).WithArguments(TagArguments),
            AudioRecipe.Tone("tagged.m4a", 44100, channels: 1).WithArguments(TagArguments),
            AudioRecipe.Tone("untagged.wav", 16000, channels: 2),
            AudioRecipe.Tone("raw-stream.aac", 44100),
            AudioRecipe.Tone("no-xing-header.mp3", 44100).WithArguments("-write_xing", "0"),
        ];
    }

    [Theory]
    [InlineData("tagged.mp3", "mp3", "mp3", 44100, 2)]
    [InlineData("tagged.flac", "flac", "flac", 48000, 1)]
    [InlineData("tagged.ogg", "ogg", "vorbis", 22050, 2)]
    [InlineData("tagged.opus", "ogg", "opus", 48000, 2)]
    [InlineData("tagged.m4a", "mov,mp4,m4a,3gp,3g2,mj2", "aac", 44100, 1)]
    [InlineData("untagged.wav", "wav", "pcm_s16le", 16000, 2)]
    public async Task Format_codec_rate_channels_and_duration_are_read(string file, string format, string codec, int sampleRate, int channels)
    {
        var metadata = await _reader.ReadAsync(files.PathOf(file));

        Assert.Equal(format, metadata.FormatName);
        Assert.Equal(codec, metadata.Codec);
        Assert.Equal(sampleRate, metadata.SampleRate);
        Assert.Equal(channels, metadata.Channels);
        // Lossy containers may count encoder delay and padding: MP3 states 3.030 s for 3 s of audio.
        Assert.InRange(metadata.Duration!.Value.TotalSeconds, 3.0, 3.0 * 1.02);
        Assert.True(metadata.BitRate > 0);
    }

    [Theory]
    [InlineData("tagged.mp3")]
    [InlineData("tagged.flac")]
    [InlineData("tagged.ogg")]
    [InlineData("tagged.opus")]
    [InlineData("tagged.m4a")]
    public async Task Tags_are_read_wherever_the_container_keeps_them(string file)
    {
        var metadata = await _reader.ReadAsync(files.PathOf(file));

        Assert.Equal(new AudioTags(Title, "The Artist", "The Album", "Rock", "2021", "3/12"), metadata.Tags);
    }

    [Fact]
    public async Task A_file_without_tags_has_none()
    {
        var metadata = await _reader.ReadAsync(files.PathOf("untagged.wav"));

        Assert.Equal(new AudioTags(null, null, null, null, null, null), metadata.Tags);
    }

    // ffprobe guesses these durations from the bit rate; a VBR guess can be off by 5 % or more.
    [Theory]
    [InlineData("raw-stream.aac")]
    [InlineData("no-xing-header.mp3")]
    public async Task A_duration_ffprobe_only_estimates_is_reported_as_unknown(string file)
    {
        var metadata = await _reader.ReadAsync(files.PathOf(file));

        Assert.Null(metadata.Duration);
        Assert.Equal(44100, metadata.SampleRate);
    }

    [Fact]
    public async Task A_file_of_unknown_duration_still_decodes()
    {
        var audio = await new AudioDecoder(new AudioDecoderOptions()).DecodeAsync(files.PathOf("raw-stream.aac"), 24_000);

        Assert.InRange(audio.Duration.TotalSeconds, 3.0, 3.1);
    }
}

using System.Globalization;
using MusicSearch.Core.Audio;
using MusicSearch.Core.Tests.Audio.Support;

namespace MusicSearch.Core.Tests.Audio;

public sealed class DecodedLengthTests(DecodedLengthTests.Files files) : IClassFixture<DecodedLengthTests.Files>
{
    private const int ThreeSecondsAt24k = 72_000;

    private readonly AudioDecoder _decoder = new(new AudioDecoderOptions());

    public sealed class Files : GeneratedAudio
    {
        protected override IEnumerable<AudioRecipe> Recipes =>
            LosslessFiles.Concat(LossyFiles).Select(file => AudioRecipe.Tone(file, RateOf(file), ChannelsOf(file)));
    }

    // Every rate, each in WAV and FLAC, one of them mono and the other stereo.
    public static readonly string[] LosslessFiles =
    [
        "tone-8000-1.wav", "tone-8000-2.flac",
        "tone-16000-2.wav", "tone-16000-1.flac",
        "tone-22050-1.wav", "tone-22050-2.flac",
        "tone-44100-2.wav", "tone-44100-1.flac",
        "tone-48000-1.wav", "tone-48000-2.flac",
    ];

    public static readonly string[] LossyFiles =
    [
        "tone-44100-2.mp3", "tone-22050-1.mp3", "tone-8000-1.mp3",
        "tone-44100-2.ogg", "tone-16000-1.ogg",
        "tone-48000-2.opus", "tone-8000-1.opus",
        "tone-44100-2.m4a", "tone-48000-1.m4a", "tone-8000-1.m4a",
    ];

    public static TheoryData<string, int> LosslessCases()
    {
        var cases = new TheoryData<string, int>();
        foreach (var file in LosslessFiles)
        {
            cases.Add(file, 24_000);
        }

        cases.Add("tone-44100-1.flac", 8_000);
        cases.Add("tone-48000-2.flac", 16_000);
        cases.Add("tone-22050-1.wav", 44_100);
        cases.Add("tone-8000-2.flac", 48_000);
        return cases;
    }

    [Theory]
    [MemberData(nameof(LosslessCases))]
    public async Task Lossless_files_decode_to_exactly_their_length_at_the_output_rate(string file, int outputRate)
    {
        var audio = await _decoder.DecodeAsync(files.PathOf(file), outputRate);

        Assert.Equal(3 * outputRate, audio.Samples.Length);
        Assert.Equal(outputRate, audio.SampleRate);
    }

    // MP3 (LAME's gapless header), Vorbis and Opus (granule positions) tell ffmpeg how much encoder delay and
    // padding to drop, so they come out exact too, even where the container duration is off: the 8 kHz MP3
    // states 3.168 s, counting the delay and padding that decoding drops.
    [Theory]
    [InlineData("tone-44100-2.mp3")]
    [InlineData("tone-22050-1.mp3")]
    [InlineData("tone-8000-1.mp3")]
    [InlineData("tone-44100-2.ogg")]
    [InlineData("tone-16000-1.ogg")]
    [InlineData("tone-48000-2.opus")]
    [InlineData("tone-8000-1.opus")]
    public async Task Lossy_files_with_gapless_information_decode_to_exactly_their_length(string file)
    {
        var audio = await _decoder.DecodeAsync(files.PathOf(file), 24_000);

        Assert.Equal(ThreeSecondsAt24k, audio.Samples.Length);
    }

    // ffmpeg 5.1 trims AAC's priming in MP4 but keeps the padding of the last 1024-sample frame.
    [Theory]
    [InlineData("tone-44100-2.m4a", 72_446)]
    [InlineData("tone-48000-1.m4a", 72_192)]
    public async Task Aac_keeps_its_last_frame_padding_yet_stays_within_two_percent_of_the_container_duration(string file, int measured)
    {
        var path = files.PathOf(file);
        var audio = await _decoder.DecodeAsync(path, 24_000);
        var metadata = await new AudioMetadataReader(new AudioDecoderOptions()).ReadAsync(path);

        Assert.Equal(measured, audio.Samples.Length);
        Assert.InRange(audio.Duration / metadata.Duration!.Value, 1.0, 1.02);
    }

    // At 8 kHz one AAC frame is 128 ms, so the padding is 2.4 % of three seconds: over the 2 % tolerance but
    // within AudioDecoderOptions.MinimumLengthSlack, one reason that slack exists.
    [Fact]
    public async Task Aac_at_8_kHz_overshoots_two_percent_but_is_accepted_thanks_to_the_minimum_slack()
    {
        var audio = await _decoder.DecodeAsync(files.PathOf("tone-8000-1.m4a"), 24_000);

        Assert.Equal(73_728, audio.Samples.Length);
        Assert.True(audio.Duration - TimeSpan.FromSeconds(3) < new AudioDecoderOptions().MinimumLengthSlack);
    }

    private static int RateOf(string file) => int.Parse(file.Split('-', '.')[1], CultureInfo.InvariantCulture);

    private static int ChannelsOf(string file) => int.Parse(file.Split('-', '.')[2], CultureInfo.InvariantCulture);
}

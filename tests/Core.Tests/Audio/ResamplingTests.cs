using MusicSearch.Core.Audio;
using MusicSearch.Core.Tests.Audio.Support;

namespace MusicSearch.Core.Tests.Audio;

public sealed class ResamplingTests(ResamplingTests.Files files) : IClassFixture<ResamplingTests.Files>
{
    private const int OutputRate = 24_000;

    private readonly AudioDecoder _decoder = new(new AudioDecoderOptions());

    public sealed class Files : GeneratedAudio
    {
        protected override IEnumerable<AudioRecipe> Recipes =>
        [
            AudioRecipe.Tone("tone-44100.flac", 44100),
            AudioRecipe.Tone("tone-48000.flac", 48000),
            AudioRecipe.Tone("tone-8000.flac", 8000),
            AudioRecipe.Tone("tone-44100.mp3", 44100),
            AudioRecipe.Tone("tone-48000.opus", 48000),
        ];
    }

    [Theory]
    [InlineData("tone-44100.flac")]
    [InlineData("tone-48000.flac")]
    [InlineData("tone-8000.flac")]
    [InlineData("tone-44100.mp3")]
    [InlineData("tone-48000.opus")]
    public async Task A_1_kHz_tone_keeps_its_frequency_and_level_at_24_kHz(string file)
    {
        var audio = await _decoder.DecodeAsync(files.PathOf(file), OutputRate);
        var steady = Signal.Between(audio.Samples, OutputRate, 0.1, 2.9);

        Assert.InRange(Signal.ToneFrequency(steady, OutputRate), 995.0, 1005.0);
        // lavfi's sine has amplitude 1/8, so an RMS of 1/8/√2; MP3 loses about 5 % of it.
        Assert.InRange(Signal.Rms(steady), 0.125 / Math.Sqrt(2) * 0.9, 0.125 / Math.Sqrt(2) * 1.05);
    }
}

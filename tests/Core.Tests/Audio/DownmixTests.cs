using MusicSearch.Core.Audio;
using MusicSearch.Core.Tests.Audio.Support;

namespace MusicSearch.Core.Tests.Audio;

public sealed class DownmixTests(DownmixTests.Files files) : IClassFixture<DownmixTests.Files>
{
    private const int OutputRate = 24_000;

    private readonly AudioDecoder _decoder = new(new AudioDecoderOptions());

    public sealed class Files : GeneratedAudio
    {
        protected override IEnumerable<AudioRecipe> Recipes =>
        [
            AudioRecipe.Stereo("unequal-levels.wav", left: "0.5", right: "0.1"),
            AudioRecipe.Stereo("opposite-phase.wav", left: "0.4*sin(2*PI*440*t)", right: "-0.4*sin(2*PI*440*t)"),
            AudioRecipe.Stereo("left-only.flac", left: "0.4*sin(2*PI*440*t)", right: "0"),
        ];
    }

    // ffmpeg's -ac 1 mixes each channel in at 1/√2 (-3 dB) and does not normalise, so mono = (L + R) / √2.
    [Fact]
    public async Task Stereo_is_mixed_to_mono_as_the_sum_of_the_channels_over_root_two()
    {
        var audio = await _decoder.DecodeAsync(files.PathOf("unequal-levels.wav"), OutputRate);

        foreach (var sample in Signal.Between(audio.Samples, OutputRate, 0.1, 0.9))
        {
            Assert.Equal((0.5 + 0.1) / Math.Sqrt(2), sample, 1e-3);
        }
    }

    [Fact]
    public async Task Channels_in_opposite_phase_cancel_out()
    {
        var audio = await _decoder.DecodeAsync(files.PathOf("opposite-phase.wav"), OutputRate);

        Assert.True(Signal.Rms(audio.Samples) < 1e-3);
    }

    [Fact]
    public async Task A_tone_on_one_channel_only_is_kept_at_minus_3_dB()
    {
        var audio = await _decoder.DecodeAsync(files.PathOf("left-only.flac"), OutputRate);
        var steady = Signal.Between(audio.Samples, OutputRate, 0.1, 0.9);

        Assert.Equal(0.4 / Math.Sqrt(2) / Math.Sqrt(2), Signal.Rms(steady), 2e-3);
        Assert.InRange(Signal.ToneFrequency(steady, OutputRate), 438.0, 442.0);
    }
}

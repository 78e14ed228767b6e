using MusicSearch.Core.Audio;
using MusicSearch.Core.Tests.Audio.Support;

namespace MusicSearch.Core.Tests.Audio;

public sealed class SeekTests(SeekTests.Files files) : IClassFixture<SeekTests.Files>
{
    private const int OutputRate = 24_000;
    private const double ClickAt = 1.25;

    private readonly AudioDecoder _decoder = new(new AudioDecoderOptions());

    public sealed class Files : GeneratedAudio
    {
        protected override IEnumerable<AudioRecipe> Recipes =>
        [
            AudioRecipe.Click("click.wav", 44100, ClickAt),
            AudioRecipe.Click("click.flac", 44100, ClickAt),
            AudioRecipe.Click("click.mp3", 44100, ClickAt),
            AudioRecipe.Click("click.ogg", 44100, ClickAt),
            AudioRecipe.Click("click.opus", 48000, ClickAt),
            AudioRecipe.Click("click.m4a", 44100, ClickAt),
        ];
    }

    [Theory]
    [InlineData("click.wav", 1.0)]
    [InlineData("click.flac", 1.0)]
    [InlineData("click.mp3", 1.0)]
    [InlineData("click.ogg", 1.0)]
    [InlineData("click.opus", 1.0)]
    [InlineData("click.m4a", 1.0)]
    [InlineData("click.flac", 0.9)]
    [InlineData("click.mp3", 1.1)]
    public async Task A_range_starts_where_asked_and_lasts_exactly_as_long(string file, double start)
    {
        var range = new AudioRange(TimeSpan.FromSeconds(start), TimeSpan.FromSeconds(0.5));

        var audio = await _decoder.DecodeAsync(files.PathOf(file), OutputRate, range);

        Assert.Equal(OutputRate / 2, audio.Samples.Length);
        var clickSeconds = (double)Signal.PeakIndex(audio.Samples) / OutputRate;
        Assert.Equal(ClickAt - start, clickSeconds, 0.002);
    }

    [Fact]
    public async Task A_range_without_a_length_runs_to_the_end()
    {
        var audio = await _decoder.DecodeAsync(files.PathOf("click.flac"), OutputRate, new AudioRange(TimeSpan.FromSeconds(2)));

        Assert.Equal(OutputRate, audio.Samples.Length);
    }

    [Fact]
    public async Task A_range_past_the_end_is_cut_at_the_end()
    {
        var range = new AudioRange(TimeSpan.FromSeconds(2.7), TimeSpan.FromSeconds(0.5));

        var audio = await _decoder.DecodeAsync(files.PathOf("click.wav"), OutputRate, range);

        Assert.Equal(7_200, audio.Samples.Length);
    }

    [Fact]
    public async Task A_range_starting_after_the_end_is_refused()
    {
        var range = new AudioRange(TimeSpan.FromSeconds(4));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _decoder.DecodeAsync(files.PathOf("click.wav"), OutputRate, range));
    }

    [Fact]
    public void A_negative_start_or_an_empty_length_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AudioRange(TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AudioRange(TimeSpan.Zero, TimeSpan.Zero));
    }
}

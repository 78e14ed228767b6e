using MusicSearch.Core.Audio;
using MusicSearch.Core.Tests.Audio.Support;

namespace MusicSearch.Core.Tests.Audio;

public sealed class StreamingTests(StreamingTests.Files files) : IClassFixture<StreamingTests.Files>
{
    private const int OutputRate = 24_000;

    private readonly AudioDecoder _decoder = new(new AudioDecoderOptions());

    public sealed class Files : GeneratedAudio
    {
        protected override IEnumerable<AudioRecipe> Recipes =>
        [
            AudioRecipe.Tone("tone.flac", 44100, channels: 2, seconds: 5),
            AudioRecipe.Tone("tone.mp3", 44100, channels: 2, seconds: 5),
        ];
    }

    [Theory]
    [InlineData("tone.flac", null, null)]
    [InlineData("tone.mp3", null, null)]
    [InlineData("tone.mp3", 1.5, 2.0)]
    public async Task Streamed_chunks_add_up_to_exactly_what_the_whole_range_decode_returns(string file, double? start, double? length)
    {
        var path = files.PathOf(file);
        var range = start is null ? null : new AudioRange(TimeSpan.FromSeconds(start.Value), TimeSpan.FromSeconds(length!.Value));
        var streamed = new List<float>();
        var chunks = 0;

        await foreach (var chunk in _decoder.StreamAsync(path, OutputRate, range))
        {
            streamed.AddRange(chunk.Span);
            chunks++;
        }

        var whole = await _decoder.DecodeAsync(path, OutputRate, range);
        Assert.True(chunks > 1, "A few seconds of audio should arrive in more than one chunk.");
        Assert.Equal(whole.Samples, streamed);
    }
}

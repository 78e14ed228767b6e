using MusicSearch.Core.Audio;
using MusicSearch.Core.Tests.Audio.Support;
using MusicSearch.Testing;

namespace MusicSearch.Core.Tests.Audio;

[Collection(ProcessLeakChecks.Name)]
public sealed class BadInputTests(BadInputTests.Files files) : IClassFixture<BadInputTests.Files>
{
    private const int OutputRate = 24_000;

    private readonly AudioDecoder _decoder = new(new AudioDecoderOptions());

    public sealed class Files : GeneratedAudio
    {
        private static readonly string[] Formats = ["mp3", "flac", "ogg", "opus"];

        protected override IEnumerable<AudioRecipe> Recipes =>
        [
            .. Formats.Select(extension => AudioRecipe.Tone($"tone.{extension}", 48000, channels: 2)),
            AudioRecipe.Tone("raw-stream.aac", 44100),
        ];

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await File.WriteAllBytesAsync(PathOf("empty.mp3"), []);
            await File.WriteAllTextAsync(PathOf("text.mp3"), "These are liner notes, not audio.\n");
            await File.WriteAllBytesAsync(PathOf("random.mp3"), DamagedFiles.RandomBytes(64 * 1024));
            Directory.CreateDirectory(PathOf("folder.mp3"));
            await DamagedFiles.TruncateAsync(PathOf("tone.mp3"), PathOf("truncated.mp3"));
            await DamagedFiles.TruncateAsync(PathOf("tone.flac"), PathOf("truncated.flac"));
            foreach (var extension in Formats)
            {
                await DamagedFiles.SpliceGarbageAsync(PathOf($"tone.{extension}"), PathOf($"spliced.{extension}"));
            }

            await ExternalTool.RunAsync("mkfifo", [PathOf("closed-pipe"), PathOf("silent-pipe")]);
        }
    }

    [Theory]
    [InlineData("missing.mp3")]
    [InlineData("folder.mp3")]
    public async Task A_missing_file_or_a_directory_is_not_found(string file)
    {
        var exception = await ExpectFailure.DecodeErrorAsync(AudioDecodeError.NotFound, () => _decoder.DecodeAsync(files.PathOf(file), OutputRate));

        Assert.Equal(files.PathOf(file), exception.Path);
        await ExpectFailure.DecodeErrorAsync(
            AudioDecodeError.NotFound, () => new AudioMetadataReader(new AudioDecoderOptions()).ReadAsync(files.PathOf(file)));
    }

    [Theory]
    [InlineData("empty.mp3")]
    [InlineData("text.mp3")]
    [InlineData("random.mp3")]
    public async Task A_file_that_is_not_audio_is_reported_as_such(string file)
    {
        var exception = await ExpectFailure.DecodeErrorAsync(AudioDecodeError.NotAudio, () => _decoder.DecodeAsync(files.PathOf(file), OutputRate));

        Assert.NotEmpty(exception.ToolOutput);
    }

    // The container's duration (MP3's Xing header, FLAC's STREAMINFO) promises more than the file holds. Ogg
    // states no duration but that of its last page, and ffmpeg sizes WAV by the file, so cutting those is only
    // noticed if the cut breaks a frame.
    [Theory]
    [InlineData("truncated.mp3")]
    [InlineData("truncated.flac")]
    public async Task A_file_cut_in_half_is_truncated(string file)
    {
        var exception = await ExpectFailure.DecodeErrorAsync(AudioDecodeError.Truncated, () => _decoder.DecodeAsync(files.PathOf(file), OutputRate));

        Assert.Contains("stops at", exception.Message, StringComparison.Ordinal);
    }

    // The decoders complain and resynchronise; the timeline still runs to the end, so this is not truncation
    // even where a whole damaged Ogg page of audio goes missing.
    [Theory]
    [InlineData("spliced.mp3")]
    [InlineData("spliced.flac")]
    [InlineData("spliced.ogg")]
    [InlineData("spliced.opus")]
    public async Task Garbage_spliced_into_the_middle_is_corruption(string file)
    {
        var exception = await ExpectFailure.DecodeErrorAsync(AudioDecodeError.Corrupt, () => _decoder.DecodeAsync(files.PathOf(file), OutputRate));

        Assert.NotEmpty(exception.ToolOutput);
    }

    // What the indexer does: the audio around the damage is whole, so it is kept.
    [Theory]
    [InlineData("spliced.mp3")]
    [InlineData("spliced.flac")]
    public async Task Tolerating_decoder_errors_keeps_spliced_audio_that_is_otherwise_whole(string file)
    {
        var tolerant = new AudioDecoder(new AudioDecoderOptions { RejectDecoderErrors = false });

        var audio = await tolerant.DecodeAsync(files.PathOf(file), OutputRate);

        Assert.NotEmpty(audio.Samples);
    }

    [Fact]
    public async Task A_pipe_closed_without_data_is_not_audio()
    {
        var pipe = files.PathOf("closed-pipe");
        // Opening a FIFO for writing blocks until ffprobe opens it for reading; closing it at once gives ffprobe EOF.
        var writer = Task.Run(() => File.OpenHandle(pipe, FileMode.Open, FileAccess.Write).Dispose());

        await ExpectFailure.DecodeErrorAsync(AudioDecodeError.NotAudio, () => _decoder.DecodeAsync(pipe, OutputRate));
        await writer.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_pipe_nobody_writes_to_times_out_in_ffprobe_instead_of_hanging()
    {
        var decoder = new AudioDecoder(new AudioDecoderOptions { Timeout = TimeSpan.FromSeconds(1) });

        var exception = await ExpectFailure.DecodeErrorAsync(
            AudioDecodeError.TimedOut, () => decoder.DecodeAsync(files.PathOf("silent-pipe"), OutputRate));

        Assert.Contains("ffprobe did not finish", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_longer_than_the_limit_is_refused_before_decoding()
    {
        var decoder = new AudioDecoder(new AudioDecoderOptions { MaxDuration = TimeSpan.FromSeconds(1) });

        var exception = await ExpectFailure.DecodeErrorAsync(AudioDecodeError.TooLong, () => decoder.DecodeAsync(files.PathOf("tone.mp3"), OutputRate));

        Assert.Contains("to decode is more than", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_of_unknown_duration_is_stopped_once_it_passes_the_limit()
    {
        var options = new AudioDecoderOptions { MaxDuration = TimeSpan.FromSeconds(1) };
        var decoder = new AudioDecoder(options);
        var received = 0;

        var exception = await ExpectFailure.DecodeErrorAsync(AudioDecodeError.TooLong, async () =>
        {
            await foreach (var chunk in decoder.StreamAsync(files.PathOf("raw-stream.aac"), OutputRate))
            {
                received += chunk.Length;
            }
        });

        Assert.Contains("while decoding", exception.Message, StringComparison.Ordinal);
        Assert.InRange(received, 1, (options.MaxDuration + options.MinimumLengthSlack).TotalSeconds * OutputRate);
    }

    [Fact]
    public async Task A_missing_ffmpeg_is_a_configuration_error_not_a_bad_file()
    {
        var decoder = new AudioDecoder(new AudioDecoderOptions { FfprobePath = "/nonexistent/ffprobe" });

        var exception = await ExpectFailure.ThrowsQuicklyAsync<InvalidOperationException>(() => decoder.DecodeAsync(files.PathOf("tone.mp3"), OutputRate));

        Assert.Contains("/nonexistent/ffprobe", exception.Message, StringComparison.Ordinal);
    }
}

using MusicSearch.Core.Audio;
using MusicSearch.Core.Tests.Audio.Support;

namespace MusicSearch.Core.Tests.Audio;

/// <summary>Decoding bytes fed to ffmpeg's stdin instead of a file ffmpeg opens.</summary>
[Collection(ProcessLeakChecks.Name)]
public sealed class StreamInputTests(StreamInputTests.Files files) : IClassFixture<StreamInputTests.Files>
{
    private const int OutputRate = 24_000;
    private const string InputName = "test input";

    private readonly AudioDecoder _decoder = new(new AudioDecoderOptions());

    public sealed class Files : GeneratedAudio
    {
        protected override IEnumerable<AudioRecipe> Recipes =>
        [
            AudioRecipe.Tone("tone.flac", 44100, channels: 2, seconds: 3),
            AudioRecipe.Tone("tone.ogg", 48000, seconds: 3),
            AudioRecipe.Tone("tone.wav", 22050, seconds: 3),
            AudioRecipe.Tone("long.flac", 8000, seconds: 600, frequency: 440),
            AudioRecipe.Tone("index-last.m4a", 22050, seconds: 10),
            AudioRecipe.Tone("index-first.m4a", 22050, seconds: 10).WithArguments("-movflags", "+faststart"),
        ];
    }

    [Theory]
    [InlineData("tone.flac")]
    [InlineData("tone.ogg")]
    [InlineData("tone.wav")]
    public async Task A_stream_decodes_to_the_samples_of_decoding_the_file(string file)
    {
        await using var input = File.OpenRead(files.PathOf(file));

        var streamed = await _decoder.DecodeAsync(input, InputName, OutputRate);

        var direct = await _decoder.DecodeAsync(files.PathOf(file), OutputRate);
        Assert.Equal(3 * OutputRate, direct.Samples.Length);
        Assert.Equal(direct.Samples, streamed.Samples);
    }

    // ffmpeg's own MP4 writer puts the index (moov) after the audio unless told "faststart"; reading it needs a seek.
    [Fact]
    public async Task An_mp4_needs_its_index_first_to_be_streamed_and_says_so_otherwise()
    {
        await using var indexFirst = File.OpenRead(files.PathOf("index-first.m4a"));
        await using var indexLast = File.OpenRead(files.PathOf("index-last.m4a"));

        var audio = await _decoder.DecodeAsync(indexFirst, InputName, OutputRate);
        var exception = await ExpectFailure.DecodeErrorAsync(AudioDecodeError.NotAudio, () => _decoder.DecodeAsync(indexLast, InputName, OutputRate));

        Assert.InRange(audio.Duration.TotalSeconds, 9.9, 10.1);
        Assert.Contains("partial file", exception.ToolOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_input_stops_ffmpeg_and_its_own_exception_reaches_the_caller()
    {
        var bytes = await File.ReadAllBytesAsync(files.PathOf("long.flac"));
        var failure = new InvalidDataException("the input broke");
        var input = ScriptedStream.FailingAfter(bytes[..(256 * 1024)], failure);

        var exception = await ExpectFailure.ThrowsQuicklyAsync<InvalidDataException>(() => _decoder.DecodeAsync(input, InputName, OutputRate));

        Assert.Same(failure, exception);
    }

    [Fact]
    public async Task Ffmpeg_giving_up_on_endless_garbage_ends_the_decode_without_hanging()
    {
        var garbage = DamagedFiles.RandomBytes(64 * 1024);
        var input = new ScriptedStream((buffer, _) =>
        {
            var count = Math.Min(buffer.Length, garbage.Length);
            garbage.AsMemory(0, count).CopyTo(buffer);
            return ValueTask.FromResult(count);
        });

        var exception = await ExpectFailure.DecodeErrorAsync(AudioDecodeError.NotAudio, () => _decoder.DecodeAsync(input, InputName, OutputRate));

        Assert.Equal(InputName, exception.Path);
        Assert.NotEmpty(exception.ToolOutput);
    }

    [Fact]
    public async Task An_input_that_goes_quiet_times_out_instead_of_hanging()
    {
        var decoder = new AudioDecoder(new AudioDecoderOptions { Timeout = TimeSpan.FromMilliseconds(500) });
        var input = new ScriptedStream(async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return 0;
        });

        var exception = await ExpectFailure.DecodeErrorAsync(AudioDecodeError.TimedOut, () => decoder.DecodeAsync(input, InputName, OutputRate));

        Assert.True(exception.IsTransient);
    }

    [Fact]
    public async Task A_stream_longer_than_the_limit_is_stopped_once_it_passes_it()
    {
        var decoder = new AudioDecoder(new AudioDecoderOptions { MaxDuration = TimeSpan.FromSeconds(10) });
        await using var input = File.OpenRead(files.PathOf("long.flac"));

        var exception = await ExpectFailure.DecodeErrorAsync(AudioDecodeError.TooLong, () => decoder.DecodeAsync(input, InputName, OutputRate));

        Assert.Contains("while decoding", exception.Message, StringComparison.Ordinal);
        Assert.False(exception.IsTransient);
    }

    [Fact]
    public async Task Cancelling_mid_stream_kills_ffmpeg_and_throws_with_the_callers_token()
    {
        using var cancellation = new CancellationTokenSource();
        await using var input = File.OpenRead(files.PathOf("long.flac"));

        var exception = await ExpectFailure.ThrowsQuicklyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in _decoder.StreamAsync(input, InputName, OutputRate, cancellation.Token))
            {
                await cancellation.CancelAsync();
            }
        });

        Assert.Equal(cancellation.Token, exception.CancellationToken);
    }

    [Fact]
    public void The_stdin_command_line_reads_pipe_0_only_and_names_no_file()
    {
        var arguments = FfmpegArguments.DecodeStandardInput(OutputRate);

        Assert.Equal("pipe:0", arguments[IndexAfter(arguments, "-i")]);
        Assert.Equal("pipe", arguments[IndexAfter(arguments, "-protocol_whitelist")]);
        Assert.Single(arguments, argument => argument == "-i");
        Assert.DoesNotContain(arguments, argument => argument.StartsWith("file:", StringComparison.Ordinal));
    }

    private static int IndexAfter(IReadOnlyList<string> arguments, string option) => arguments.ToList().IndexOf(option) + 1;
}

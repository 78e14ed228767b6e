using MusicSearch.Core.Audio;
using MusicSearch.Core.Tests.Audio.Support;

namespace MusicSearch.Core.Tests.Audio;

[Collection(ProcessLeakChecks.Name)]
public sealed class ProcessLifetimeTests(ProcessLifetimeTests.Files files) : IClassFixture<ProcessLifetimeTests.Files>
{
    private const int OutputRate = 24_000;

    private readonly AudioDecoder _decoder = new(new AudioDecoderOptions());

    public sealed class Files : GeneratedAudio
    {
        // Twenty minutes at 8 kHz: quick to make, and about a second for ffmpeg to decode at 24 kHz.
        protected override IEnumerable<AudioRecipe> Recipes => [AudioRecipe.Tone("long.flac", 8000, seconds: 1200, frequency: 440)];
    }

    private string LongFile => files.PathOf("long.flac");

    [Fact]
    public async Task A_decode_that_outlasts_the_timeout_is_killed_and_reported()
    {
        var decoder = new AudioDecoder(new AudioDecoderOptions { Timeout = TimeSpan.FromMilliseconds(200) });

        await ExpectFailure.DecodeErrorAsync(AudioDecodeError.TimedOut, () => decoder.DecodeAsync(LongFile, OutputRate));
    }

    [Fact]
    public async Task Cancelling_mid_stream_kills_ffmpeg_and_throws_with_the_callers_token()
    {
        using var cancellation = new CancellationTokenSource();
        var received = 0;

        var exception = await ExpectFailure.ThrowsQuicklyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var chunk in _decoder.StreamAsync(LongFile, OutputRate, cancellationToken: cancellation.Token))
            {
                received += chunk.Length;
                await cancellation.CancelAsync();
            }
        });

        Assert.True(received > 0);
        Assert.Equal(cancellation.Token, exception.CancellationToken);
    }

    [Fact]
    public async Task An_already_cancelled_token_stops_the_call_before_it_starts()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        var exception = await ExpectFailure.ThrowsQuicklyAsync<OperationCanceledException>(
            () => _decoder.DecodeAsync(LongFile, OutputRate, cancellationToken: cancellation.Token));

        Assert.Equal(cancellation.Token, exception.CancellationToken);
    }

    [Fact]
    public async Task Leaving_a_stream_early_kills_ffmpeg()
    {
        var received = 0;
        await foreach (var chunk in _decoder.StreamAsync(LongFile, OutputRate))
        {
            received = chunk.Length;
            break;
        }

        Assert.True(received > 0);
        Assert.Empty(ChildProcesses.FfmpegTools());
    }

    [Fact]
    public async Task A_successful_decode_leaves_no_process_behind()
    {
        var audio = await _decoder.DecodeAsync(LongFile, OutputRate, new AudioRange(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(1)));

        Assert.Equal(OutputRate, audio.Samples.Length);
        Assert.Empty(ChildProcesses.FfmpegTools());
    }
}

using MusicSearch.Core.Audio;

namespace MusicSearch.Core.Tests.Audio;

/// <summary>The verdict rules on their own, in samples at 1 kHz so that 1 sample is 1 ms.</summary>
public sealed class DecodePlanTests
{
    private const int Rate = 1000;
    private const string Path = "/music/song.flac";

    private static readonly AudioDecoderOptions Options = new()
    {
        MaxDuration = TimeSpan.FromSeconds(60),
        LengthTolerance = 0.02,
        MinimumLengthSlack = TimeSpan.FromMilliseconds(100),
    };

    [Theory]
    [InlineData(10_000, 10_000)]
    [InlineData(9_801, 9_801)]
    [InlineData(10_199, 10_199)]
    public void Audio_within_two_percent_of_the_stated_length_passes(long produced, long reached)
    {
        Assert.Null(PlanFor(seconds: 10).Judge(produced, reached, toolComplained: false));
    }

    [Fact]
    public void Audio_whose_timeline_stops_early_is_truncated_even_when_the_decoder_complained()
    {
        var failure = PlanFor(seconds: 10).Judge(produced: 5_000, reached: 5_000, toolComplained: true);

        Assert.Equal(AudioDecodeError.Truncated, failure?.Kind);
    }

    [Fact]
    public void Samples_missing_from_a_complete_timeline_are_corruption()
    {
        var failure = PlanFor(seconds: 10).Judge(produced: 9_000, reached: 10_000, toolComplained: false);

        Assert.Equal(AudioDecodeError.Corrupt, failure?.Kind);
    }

    [Fact]
    public void Audio_longer_than_the_container_says_is_corruption()
    {
        var failure = PlanFor(seconds: 10).Judge(produced: 11_000, reached: 11_000, toolComplained: false);

        Assert.Equal(AudioDecodeError.Corrupt, failure?.Kind);
    }

    [Fact]
    public void Decoder_errors_on_audio_of_the_right_length_are_corruption()
    {
        var failure = PlanFor(seconds: 10).Judge(produced: 10_000, reached: 10_000, toolComplained: true);

        Assert.Equal(AudioDecodeError.Corrupt, failure?.Kind);
    }

    [Fact]
    public void Tolerating_decoder_errors_accepts_whole_audio_but_never_gaps_truncation_or_nothing()
    {
        var tolerant = new AudioDecoderOptions { RejectDecoderErrors = false };
        var plan = DecodePlan.Create(Metadata(10), Rate, AudioRange.WholeFile, tolerant, Path);
        var unprobed = DecodePlan.Unprobed(Rate, tolerant);

        Assert.Null(plan.Judge(produced: 10_000, reached: 10_000, toolComplained: true));
        Assert.Equal(AudioDecodeError.Truncated, plan.Judge(produced: 5_000, reached: 5_000, toolComplained: true)?.Kind);
        Assert.Equal(AudioDecodeError.Corrupt, plan.Judge(produced: 9_000, reached: 10_000, toolComplained: true)?.Kind);
        Assert.Null(unprobed.Judge(produced: 10_000, reached: 10_000, toolComplained: true));
        Assert.Equal(AudioDecodeError.NotAudio, unprobed.Judge(produced: 0, reached: null, toolComplained: true)?.Kind);
    }

    [Fact]
    public void Short_files_get_the_minimum_slack_rather_than_two_percent()
    {
        Assert.Null(PlanFor(seconds: 1).Judge(produced: 1_090, reached: 1_090, toolComplained: false));
        Assert.Equal(AudioDecodeError.Corrupt, PlanFor(seconds: 1).Judge(produced: 1_110, reached: 1_110, toolComplained: false)?.Kind);
    }

    [Fact]
    public void Without_a_stated_length_only_gaps_errors_and_empty_output_count()
    {
        var plan = PlanFor(seconds: null);

        Assert.Null(plan.Judge(produced: 123_456, reached: null, toolComplained: false));
        Assert.Equal(AudioDecodeError.Corrupt, plan.Judge(produced: 0, reached: null, toolComplained: false)?.Kind);
        Assert.Equal(AudioDecodeError.Corrupt, plan.Judge(produced: 5_000, reached: 10_000, toolComplained: false)?.Kind);
    }

    [Fact]
    public void A_range_in_the_last_moments_of_a_file_may_hold_nothing()
    {
        var plan = DecodePlan.Create(Metadata(10), Rate, new AudioRange(TimeSpan.FromSeconds(9.95)), Options, Path);

        Assert.Null(plan.Judge(produced: 0, reached: 0, toolComplained: false));
    }

    [Fact]
    public void A_file_longer_than_the_limit_is_refused_before_decoding_but_a_short_window_of_it_is_not()
    {
        var exception = Assert.Throws<AudioDecodeException>(() => PlanFor(seconds: 61));
        Assert.Equal(AudioDecodeError.TooLong, exception.Kind);

        var window = new AudioRange(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5));
        Assert.NotNull(DecodePlan.Create(Metadata(61), Rate, window, Options, Path));
    }

    [Fact]
    public void Streaming_stops_once_the_limit_plus_its_slack_is_passed()
    {
        var plan = PlanFor(seconds: null);

        Assert.Null(plan.CheckLimit(61_200));
        Assert.Equal(AudioDecodeError.TooLong, plan.CheckLimit(61_201)?.Kind);
    }

    private static DecodePlan PlanFor(double? seconds) => DecodePlan.Create(Metadata(seconds), Rate, AudioRange.WholeFile, Options, Path);

    private static AudioMetadata Metadata(double? seconds) =>
        new("flac", "flac", seconds is { } s ? TimeSpan.FromSeconds(s) : null, 44100, 2, null, new AudioTags(null, null, null, null, null, null));
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MusicSearch.Core.Audio;
using MusicSearch.Core.Audio.Sources;
using MusicSearch.Core.Tests.Audio.Sources.Support;
using MusicSearch.Core.Tests.Audio.Support;
using MusicSearch.Testing;

namespace MusicSearch.Core.Tests.Audio.Sources;

[Collection(ProcessLeakChecks.Name)]
public sealed class HttpSourceTests(HttpSourceTests.Served served) : IClassFixture<HttpSourceTests.Served>
{
    private const int OutputRate = 24_000;

    private static readonly AudioSourceOptions Allowed = Allowing();

    /// <summary>Audio files and a local server that serves them.</summary>
    public sealed class Served : GeneratedAudio
    {
        private AudioHttpServer? _server;

        public AudioHttpServer Server => _server!;

        protected override IEnumerable<AudioRecipe> Recipes =>
        [
            AudioRecipe.Tone("tone.flac", 44100, channels: 2, seconds: 3),
            AudioRecipe.Tone("long.flac", 8000, seconds: 60, frequency: 440),
            AudioRecipe.Tone("tone.mp3", 44100, channels: 2, seconds: 3),
        ];

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await DamagedFiles.SpliceGarbageAsync(PathOf("tone.mp3"), PathOf("spliced.mp3"));
            await File.WriteAllBytesAsync(PathOf("random.mp3"), DamagedFiles.RandomBytes(64 * 1024));
            _server = await AudioHttpServer.StartAsync(PathOf(""));
        }

        public override async Task DisposeAsync()
        {
            await Server.DisposeAsync();
            await base.DisposeAsync();
        }
    }

    private AudioHttpServer Server => served.Server;

    [Theory]
    [InlineData("/files/tone.flac")]
    [InlineData("/files/tone.flac?chunked=1")]
    [InlineData("/redirect-chain/2?name=tone.flac")]
    public async Task Audio_from_an_allowed_host_decodes_to_the_samples_of_the_file(string path)
    {
        using var resolver = new AudioSourceResolver(Allowed);

        var fromServer = await Decoder(resolver).DecodeAsync(Server.Url(path), OutputRate);

        var direct = await new AudioDecoder(new AudioDecoderOptions()).DecodeAsync(served.PathOf("tone.flac"), OutputRate);
        Assert.Equal(3 * OutputRate, direct.Samples.Length);
        Assert.Equal(direct.Samples, fromServer.Samples);
    }

    [Fact]
    public async Task Ffmpeg_is_given_stdin_and_never_the_url()
    {
        using var temporary = new TemporaryDirectory();
        var log = temporary.File("arguments.txt");
        var wrapper = temporary.File("ffmpeg");
        await File.WriteAllTextAsync(wrapper, $"#!/bin/sh\nprintf '%s\\n' \"$@\" > '{log}'\nexec ffmpeg \"$@\"\n");
        await ExternalTool.RunAsync("chmod", ["+x", wrapper]);
        using var resolver = new AudioSourceResolver(Allowed);
        var decoder = new AudioSourceDecoder(resolver, new AudioDecoder(new AudioDecoderOptions { FfmpegPath = wrapper }));

        var audio = await decoder.DecodeAsync(Server.Url("/files/tone.flac?token=secret"), OutputRate);

        var arguments = await File.ReadAllLinesAsync(log);
        Assert.Equal(3 * OutputRate, audio.Samples.Length);
        Assert.Equal("pipe:0", arguments[Array.IndexOf(arguments, "-i") + 1]);
        Assert.Equal("pipe", arguments[Array.IndexOf(arguments, "-protocol_whitelist") + 1]);
        Assert.DoesNotContain(arguments, argument =>
            argument.Contains("127.0.0.1", StringComparison.Ordinal) || argument.Contains("tone", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_host_not_on_the_list_is_refused_without_a_request()
    {
        using var resolver = new AudioSourceResolver(Allowed);
        var path = $"/files/tone.flac?probe={Guid.NewGuid():N}";

        var exception = await SourceAssertions.FailsAsync(
            AudioSourceError.NotAllowed, () => resolver.OpenAsync($"http://localhost:{Server.Port}{path}"));

        Assert.Contains("localhost is not on the allow-list", exception.Message, StringComparison.Ordinal);
        Assert.False(exception.IsTransient);
        Assert.Equal(0, Server.HitsOn(path));
    }

    [Fact]
    public async Task Plain_http_is_refused_unless_allowed_and_https_is_the_default()
    {
        using var resolver = new AudioSourceResolver(new AudioSourceOptions { AllowedHosts = ["127.0.0.1"] });
        var path = $"/files/tone.flac?probe={Guid.NewGuid():N}";

        var exception = await SourceAssertions.FailsAsync(AudioSourceError.NotAllowed, () => resolver.OpenAsync(Server.Url(path)));

        Assert.Contains("http is not allowed", exception.Message, StringComparison.Ordinal);
        Assert.Equal(0, Server.HitsOn(path));
    }

    [Fact]
    public async Task A_redirect_to_a_host_not_on_the_list_is_not_followed()
    {
        using var resolver = new AudioSourceResolver(Allowed);
        var target = $"/files/tone.flac?probe={Guid.NewGuid():N}";
        var redirect = "/redirect?to=" + Uri.EscapeDataString($"http://localhost:{Server.Port}{target}");

        var exception = await SourceAssertions.FailsAsync(AudioSourceError.NotAllowed, () => resolver.OpenAsync(Server.Url(redirect)));

        Assert.Contains("redirected from", exception.Message, StringComparison.Ordinal);
        Assert.Equal(1, Server.HitsOn(redirect));
        Assert.Equal(0, Server.HitsOn(target));
    }

    [Fact]
    public async Task A_redirect_to_another_scheme_is_not_followed()
    {
        using var resolver = new AudioSourceResolver(Allowed);

        await SourceAssertions.FailsAsync(
            AudioSourceError.NotAllowed, () => resolver.OpenAsync(Server.Url("/redirect?to=" + Uri.EscapeDataString("file:///etc/passwd"))));
    }

    [Fact]
    public async Task Too_many_redirects_are_an_http_error()
    {
        using var resolver = new AudioSourceResolver(Allowing(maxRedirects: 1));

        var exception = await SourceAssertions.FailsAsync(AudioSourceError.HttpError, () => resolver.OpenAsync(Server.Url("/redirect-chain/2?name=tone.flac")));

        Assert.Contains("more than 1 redirects", exception.Message, StringComparison.Ordinal);
        Assert.False(exception.IsTransient);
    }

    [Fact]
    public async Task A_stated_length_over_the_limit_is_refused_up_front()
    {
        using var resolver = new AudioSourceResolver(Allowing(maxBytes: 1000));

        var exception = await SourceAssertions.FailsAsync(AudioSourceError.TooLarge, () => resolver.OpenAsync(Server.Url("/files/tone.flac")));

        Assert.Contains("announces", exception.Message, StringComparison.Ordinal);
        Assert.False(exception.IsTransient);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_stops_the_decode_once_it_passes_the_limit()
    {
        using var resolver = new AudioSourceResolver(Allowing(maxBytes: 32 * 1024));
        Assert.True(new FileInfo(served.PathOf("long.flac")).Length > 4 * 32 * 1024);

        var exception = await SourceAssertions.FailsAsync(
            AudioSourceError.TooLarge, () => Decoder(resolver).DecodeAsync(Server.Url("/files/long.flac?chunked=1"), OutputRate));

        Assert.Contains("more than the 32768 bytes allowed arrived", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endless_body_is_cut_off_at_the_limit()
    {
        using var resolver = new AudioSourceResolver(Allowing(maxBytes: 1024 * 1024));
        await using var source = await resolver.OpenAsync(Server.Url("/endless"));
        Assert.Null(source.Length);
        var buffer = new byte[64 * 1024];
        long total = 0;

        var exception = await SourceAssertions.FailsAsync(AudioSourceError.TooLarge, async () =>
        {
            while (await source.Content.ReadAsync(buffer) is > 0 and var read)
            {
                total += read;
            }
        });

        Assert.Equal(1024 * 1024, total);
        Assert.False(exception.IsTransient);
    }

    [Fact]
    public async Task A_server_that_stalls_mid_body_times_out_within_the_limit()
    {
        using var resolver = new AudioSourceResolver(Allowing(timeout: TimeSpan.FromMilliseconds(500)));
        var clock = Stopwatch.StartNew();

        var exception = await SourceAssertions.FailsAsync(
            AudioSourceError.TimedOut, () => Decoder(resolver).DecodeAsync(Server.Url("/stall/long.flac"), OutputRate));

        Assert.True(exception.IsTransient);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(450), TimeSpan.FromSeconds(5));
        Assert.Contains("did not finish within", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_within_the_limit()
    {
        using var resolver = new AudioSourceResolver(Allowing(timeout: TimeSpan.FromMilliseconds(500)));

        var exception = await SourceAssertions.FailsAsync(AudioSourceError.TimedOut, () => resolver.OpenAsync(Server.Url("/slow-headers")));

        Assert.True(exception.IsTransient);
        Assert.Contains("no answer within", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/stall/long.flac")]
    [InlineData("/slow-headers")]
    public async Task Cancelling_while_the_server_stalls_stops_the_transfer_and_ffmpeg(string path)
    {
        using var resolver = new AudioSourceResolver(Allowed);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var exception = await ExpectFailure.ThrowsQuicklyAsync<OperationCanceledException>(
            () => Decoder(resolver).DecodeAsync(Server.Url(path), OutputRate, cancellation.Token));

        Assert.Equal(cancellation.Token, exception.CancellationToken);
    }

    [Theory]
    [InlineData(404, AudioSourceError.NotFound, false)]
    [InlineData(410, AudioSourceError.NotFound, false)]
    [InlineData(403, AudioSourceError.HttpError, false)]
    [InlineData(429, AudioSourceError.HttpError, true)]
    [InlineData(500, AudioSourceError.HttpError, true)]
    [InlineData(503, AudioSourceError.HttpError, true)]
    public async Task Error_statuses_are_typed_client_errors_permanent_server_errors_transient(int status, AudioSourceError kind, bool transient)
    {
        using var resolver = new AudioSourceResolver(Allowed);

        var exception = await SourceAssertions.FailsAsync(kind, () => resolver.OpenAsync(Server.Url($"/status/{status}")));

        Assert.Equal((HttpStatusCode)status, exception.StatusCode);
        Assert.Equal(transient, exception.IsTransient);
    }

    [Fact]
    public async Task An_empty_body_is_empty()
    {
        using var resolver = new AudioSourceResolver(Allowed);

        await SourceAssertions.FailsAsync(AudioSourceError.Empty, () => resolver.OpenAsync(Server.Url("/empty")));
    }

    [Fact]
    public async Task A_connection_dropped_mid_body_is_unavailable_and_transient()
    {
        using var resolver = new AudioSourceResolver(Allowed);

        var exception = await SourceAssertions.FailsAsync(
            AudioSourceError.Unavailable, () => Decoder(resolver).DecodeAsync(Server.Url("/cut/long.flac"), OutputRate));

        Assert.True(exception.IsTransient);
    }

    [Fact]
    public async Task A_refused_connection_is_unavailable_and_transient_and_keeps_the_query_out_of_the_message()
    {
        using var resolver = new AudioSourceResolver(Allowed);

        var exception = await SourceAssertions.FailsAsync(
            AudioSourceError.Unavailable, () => resolver.OpenAsync($"http://127.0.0.1:{ClosedPort()}/song.flac?signature=secret"));

        Assert.True(exception.IsTransient);
        Assert.EndsWith("/song.flac?…", exception.Location, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("spliced.mp3", AudioDecodeError.Corrupt)]
    [InlineData("random.mp3", AudioDecodeError.NotAudio)]
    public async Task Bad_bytes_over_http_are_permanent_decode_errors(string file, AudioDecodeError kind)
    {
        using var resolver = new AudioSourceResolver(Allowed);

        var exception = await ExpectFailure.DecodeErrorAsync(kind, () => Decoder(resolver).DecodeAsync(Server.Url($"/files/{file}"), OutputRate));

        Assert.False(exception.IsTransient);
        Assert.Equal(Server.Url($"/files/{file}"), exception.Path);
        Assert.NotEmpty(exception.ToolOutput);
    }

    private static AudioSourceOptions Allowing(long maxBytes = 1L << 30, TimeSpan? timeout = null, int maxRedirects = 5) => new()
    {
        AllowedHosts = ["127.0.0.1"],
        AllowHttp = true,
        MaxBytes = maxBytes,
        Timeout = timeout ?? TimeSpan.FromSeconds(30),
        MaxRedirects = maxRedirects,
    };

    private static AudioSourceDecoder Decoder(AudioSourceResolver resolver) => new(resolver, new AudioDecoder(new AudioDecoderOptions()));

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MusicSearch.Api.Previews;
using MusicSearch.Api.Tests.Hosting;
using MusicSearch.Api.Tests.Security;
using MusicSearch.Core.Catalog;
using MusicSearch.Testing;

namespace MusicSearch.Api.Tests.Previews;

/// <summary><c>GET /audio/{id}</c> streaming real library files: whole, by range, with a key or a signed URL.</summary>
[Collection(ApiTestGroup.Name)]
public sealed class AudioPreviewTests(PipelineFixture fixture) : IAsyncLifetime, IDisposable
{
    private readonly TemporaryDirectory _outside = new();
    private ApiHost _api = null!;
    private string _flac = "";

    public async Task InitializeAsync()
    {
        _api = ApiHost.Start(fixture);
        _flac = fixture.AudioFiles.Single(file => file.EndsWith("low-tone.flac", StringComparison.Ordinal));
        var outsideFile = _outside.File("elsewhere.flac");
        File.Copy(_flac, outsideFile);
        var store = await _api.ModelCollectionAsync();
        var vectors = new TrackVectors(Unit(store.Info.Dimensions), [new WindowVector(0, 8, Unit(store.Info.Dimensions))]);
        await store.UpsertAsync(
        [
            new(Track("flac", new Uri(_flac).AbsoluteUri), vectors, 1),
            new(Track("mp3", new Uri(fixture.AudioFiles.Single(file => file.EndsWith(".mp3", StringComparison.Ordinal))).AbsoluteUri), vectors, 1),
            new(Track("remote", "https://cdn.example.com/audio/remote.mp3"), vectors, 1),
            new(Track("outside", new Uri(outsideFile).AbsoluteUri), vectors, 1),
            new(Track("gone", new Uri(Path.Combine(_api.LibraryRoot, "deleted.flac")).AbsoluteUri), vectors, 1),
        ]);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    public void Dispose() => _outside.Dispose();

    [Fact]
    public async Task The_whole_file_comes_with_its_type_and_ranges_advertised()
    {
        using var response = await _api.GetAsync("/audio/flac");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/flac", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("bytes", response.Headers.AcceptRanges.Single());
        Assert.Equal(await File.ReadAllBytesAsync(_flac), await response.Content.ReadAsByteArrayAsync());

        using var mp3 = await _api.GetAsync("/audio/mp3");
        Assert.Equal("audio/mpeg", mp3.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_range_request_gets_206_with_exactly_those_bytes()
    {
        var whole = await File.ReadAllBytesAsync(_flac);
        using var request = ApiHost.Request(HttpMethod.Get, "/audio/flac", ApiHost.ReaderKey);
        request.Headers.Range = new RangeHeaderValue(1000, 1999);
        using var response = await _api.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal((1000L, 1999L, (long)whole.Length), (response.Content.Headers.ContentRange!.From!.Value, response.Content.Headers.ContentRange.To!.Value,
            response.Content.Headers.ContentRange.Length!.Value));
        Assert.Equal(whole[1000..2000], await response.Content.ReadAsByteArrayAsync());

        using var tail = ApiHost.Request(HttpMethod.Get, "/audio/flac", ApiHost.ReaderKey);
        tail.Headers.Range = new RangeHeaderValue(null, 100);
        using var last = await _api.Client.SendAsync(tail);
        Assert.Equal(whole[^100..], await last.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_range_past_the_end_gets_416()
    {
        using var request = ApiHost.Request(HttpMethod.Get, "/audio/flac", ApiHost.ReaderKey);
        request.Headers.Range = new RangeHeaderValue(50_000_000, null);
        using var response = await _api.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal(new FileInfo(_flac).Length, response.Content.Headers.ContentRange?.Length);
    }

    [Fact]
    public async Task A_signed_url_plays_without_a_key()
    {
        var url = _api.Services.GetRequiredService<PreviewUrlSigner>().Issue(new TrackId("flac"));
        Assert.Matches("^/audio/flac\\?exp=[0-9]+&sig=[A-Za-z0-9_-]{43}$", url);
        using var response = await _api.GetAsync(url, key: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(await File.ReadAllBytesAsync(_flac), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_tampered_signature_or_another_tracks_signature_gets_403()
    {
        var signer = _api.Services.GetRequiredService<PreviewUrlSigner>();
        var url = signer.Issue(new TrackId("flac"));
        var tampered = url[..^1] + (url[^1] == 'A' ? 'B' : 'A');
        using var bad = await _api.GetAsync(tampered, key: null);
        await ApiKeyTests.AssertErrorAsync(bad, HttpStatusCode.Forbidden, "bad-signature", "not valid");

        var query = url[url.IndexOf('?', StringComparison.Ordinal)..];
        using var otherTrack = await _api.GetAsync("/audio/mp3" + query, key: null);
        await ApiKeyTests.AssertErrorAsync(otherTrack, HttpStatusCode.Forbidden, "bad-signature", "not valid");

        var later = query.Replace("exp=", "exp=9", StringComparison.Ordinal);
        using var extended = await _api.GetAsync("/audio/flac" + later, key: null);
        await ApiKeyTests.AssertErrorAsync(extended, HttpStatusCode.Forbidden, "bad-signature", "not valid");
    }

    [Fact]
    public async Task An_expired_url_gets_403_saying_so()
    {
        var anHourAgo = new FixedClock(DateTimeOffset.UtcNow.AddHours(-1));
        var oldSigner = new PreviewUrlSigner(Options.Create(new PreviewOptions { Secret = ApiHost.PreviewSecret, Lifetime = TimeSpan.FromMinutes(15) }), anHourAgo,
            NullLogger<PreviewUrlSigner>.Instance);
        using var response = await _api.GetAsync(oldSigner.Issue(new TrackId("flac")), key: null);
        await ApiKeyTests.AssertErrorAsync(response, HttpStatusCode.Forbidden, "expired", "expired");
    }

    [Fact]
    public async Task Neither_key_nor_signature_gets_401()
    {
        using var response = await _api.GetAsync("/audio/flac", key: null);
        await ApiKeyTests.AssertErrorAsync(response, HttpStatusCode.Unauthorized, "unauthenticated", "needs an API key");
    }

    [Theory]
    [InlineData("nobody", HttpStatusCode.NotFound, "unknown-track", "no track 'nobody'")]
    [InlineData("remote", HttpStatusCode.NotFound, "preview-unavailable", "remote URL")]
    [InlineData("gone", HttpStatusCode.NotFound, "preview-unavailable", "missing")]
    [InlineData("outside", HttpStatusCode.Forbidden, "preview-unavailable", "outside the library roots")]
    public async Task Audio_that_cannot_be_served_says_why(string id, HttpStatusCode status, string code, string message)
    {
        using var response = await _api.GetAsync($"/audio/{id}");
        await ApiKeyTests.AssertErrorAsync(response, status, code, message);
    }

    private static Track Track(string id, string uri) => new() { Id = new TrackId(id), Title = id, AudioUri = uri };

    private static float[] Unit(int dimensions) => [.. Enumerable.Range(0, dimensions).Select(i => i == 0 ? 1f : 0f)];

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

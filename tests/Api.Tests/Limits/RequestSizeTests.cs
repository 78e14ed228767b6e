using System.Net;
using MusicSearch.Api.Tests.Hosting;
using MusicSearch.Api.Tests.Security;
using MusicSearch.Testing;

namespace MusicSearch.Api.Tests.Limits;

/// <summary>Body limits on real Kestrel: the default for every endpoint, a larger one only where uploads go.</summary>
[Collection(ApiTestGroup.Name)]
public sealed class RequestSizeTests(PipelineFixture fixture) : IAsyncLifetime
{
    private ApiHost _api = null!;

    public async Task InitializeAsync()
    {
        _api = ApiHost.Start(fixture, new Dictionary<string, string?>
        {
            ["Limits:MaxRequestBodyBytes"] = "4096",
            ["Upload:MaxBytes"] = "200000",
        });
        await _api.SeedAsync(2, fixture.AudioFiles);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_body_over_the_default_limit_gets_413()
    {
        using var request = ApiHost.Request(HttpMethod.Post, "/api/similar/t000", ApiHost.ReaderKey);
        request.Content = new ByteArrayContent(new byte[8192]);
        using var response = await _api.Client.SendAsync(request);
        await ApiKeyTests.AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "too-large", "at most 4096");
    }

    [Fact]
    public async Task The_upload_endpoint_takes_more_than_the_default_limit()
    {
        using var request = ApiHost.Request(HttpMethod.Post, "/api/similar-to-audio", ApiHost.EditorKey);
        request.Content = new MultipartFormDataContent { { new ByteArrayContent(new byte[100_000]), "file", "silence.bin" } };
        using var response = await _api.Client.SendAsync(request);
        // Read whole and refused for what it is, not for its size.
        await ApiKeyTests.AssertErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "not-audio", "not audio");
    }

    [Fact]
    public async Task An_announced_upload_over_its_limit_gets_413_before_it_is_read()
    {
        using var request = ApiHost.Request(HttpMethod.Post, "/api/similar-to-audio", ApiHost.EditorKey);
        request.Content = new MultipartFormDataContent { { new ByteArrayContent(new byte[400_000]), "file", "big.mp3" } };
        using var response = await _api.Client.SendAsync(request);
        await ApiKeyTests.AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "too-large", "takes at most");
    }

    [Fact]
    public async Task A_chunked_upload_that_grows_past_its_limit_gets_413_while_it_is_read()
    {
        using var request = ApiHost.Request(HttpMethod.Post, "/api/similar-to-audio", ApiHost.EditorKey);
        var file = new StreamContent(new MemoryStream(new byte[400_000]));
        var form = new MultipartFormDataContent { { file, "file", "big.mp3" } };
        // No Content-Length: Kestrel counts the bytes as they arrive.
        request.Content = new StreamContent(await form.ReadAsStreamAsync());
        request.Content.Headers.ContentType = form.Headers.ContentType;
        request.Headers.TransferEncodingChunked = true;
        using var response = await _api.Client.SendAsync(request);
        await ApiKeyTests.AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "too-large", "");
    }

    [Fact]
    public async Task A_file_over_the_upload_limit_inside_the_multipart_allowance_is_refused_by_size()
    {
        using var request = ApiHost.Request(HttpMethod.Post, "/api/similar-to-audio", ApiHost.EditorKey);
        request.Content = new MultipartFormDataContent { { new ByteArrayContent(new byte[200_001 + 1000]), "file", "big.mp3" } };
        using var response = await _api.Client.SendAsync(request);
        await ApiKeyTests.AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "upload-too-large", "larger than the 200000 bytes");
    }
}

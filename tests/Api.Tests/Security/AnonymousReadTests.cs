using System.Net;
using MusicSearch.Api.Tests.Hosting;
using MusicSearch.Testing;

namespace MusicSearch.Api.Tests.Security;

/// <summary><c>Auth:AllowAnonymousRead</c> (the embedded demo): reads without a key pass, a wrong key still fails, writes still need an editor.</summary>
[Collection(ApiTestGroup.Name)]
public sealed class AnonymousReadTests(PipelineFixture fixture) : IAsyncLifetime
{
    private ApiHost _api = null!;

    public async Task InitializeAsync()
    {
        _api = ApiHost.Start(fixture, new Dictionary<string, string?> { ["Auth:AllowAnonymousRead"] = "true" });
        await _api.SeedAsync(3, fixture.AudioFiles);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_read_without_a_key_is_allowed()
    {
        using var response = await _api.GetAsync("/api/similar/t000", key: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_wrong_key_is_still_refused()
    {
        using var response = await _api.GetAsync("/api/similar/t000", key: "wrong-key-wrong-key-wrong");
        await ApiKeyTests.AssertErrorAsync(response, HttpStatusCode.Unauthorized, "unauthenticated", "not valid");
    }

    [Fact]
    public async Task An_upload_without_a_key_is_refused()
    {
        using var request = ApiHost.Request(HttpMethod.Post, "/api/similar-to-audio", key: null);
        request.Content = new MultipartFormDataContent { { new ByteArrayContent([1]), "file", "x.mp3" } };
        using var response = await _api.Client.SendAsync(request);
        await ApiKeyTests.AssertErrorAsync(response, HttpStatusCode.Unauthorized, "unauthenticated", "needs an API key");
    }
}

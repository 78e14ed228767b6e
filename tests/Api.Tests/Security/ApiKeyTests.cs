using System.Net;
using System.Text.Json;
using MusicSearch.Api.Tests.Hosting;
using MusicSearch.Testing;

namespace MusicSearch.Api.Tests.Security;

/// <summary>Keys and roles through real HTTP: 401 without or with a wrong key, 403 with too small a role, 200 with the right one.</summary>
[Collection(ApiTestGroup.Name)]
public sealed class ApiKeyTests(PipelineFixture fixture) : IAsyncLifetime
{
    private ApiHost _api = null!;

    public async Task InitializeAsync()
    {
        _api = ApiHost.Start(fixture);
        await _api.SeedAsync(4, fixture.AudioFiles);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_request_without_a_key_gets_401_with_a_json_reason()
    {
        using var response = await _api.GetAsync("/api/similar/t000", key: null);
        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "unauthenticated", "needs an API key");
        Assert.Equal("ApiKey", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task A_wrong_key_gets_401()
    {
        using var response = await _api.GetAsync("/api/similar/t000", key: "not-a-configured-key-at-all");
        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "unauthenticated", "is not valid");
    }

    [Theory]
    [InlineData(ApiHost.ReaderKey)]
    [InlineData(ApiHost.EditorKey)]
    [InlineData(ApiHost.AdminKey)]
    public async Task Every_role_may_read(string key)
    {
        using var response = await _api.GetAsync("/api/similar/t000?first=2", key);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_reader_may_not_upload_and_gets_403_naming_its_key()
    {
        using var request = ApiHost.Request(HttpMethod.Post, "/api/similar-to-audio", ApiHost.ReaderKey);
        request.Content = new MultipartFormDataContent { { new ByteArrayContent([1, 2, 3]), "file", "x.mp3" } };
        using var response = await _api.Client.SendAsync(request);
        await AssertErrorAsync(response, HttpStatusCode.Forbidden, "forbidden", "'app' (role reader)");
    }

    [Fact]
    public async Task An_editor_key_given_as_a_sha256_hash_authenticates()
    {
        using var request = ApiHost.Request(HttpMethod.Post, "/api/similar-to-audio", ApiHost.EditorKey);
        request.Content = new MultipartFormDataContent { { new ByteArrayContent("not audio"u8.ToArray()), "file", "notes.txt" } };
        using var response = await _api.Client.SendAsync(request);
        // Past authentication and authorization: the upload itself is refused.
        await AssertErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "not-audio", "not audio");
    }

    [Fact]
    public async Task Keys_never_appear_in_the_logs()
    {
        foreach (var key in new[] { ApiHost.ReaderKey, ApiHost.EditorKey, ApiHost.AdminKey, "a-wrong-key-that-must-not-be-logged" })
        {
            using var allowed = await _api.GetAsync("/api/similar/t001", key);
            using var missing = await _api.GetAsync("/api/similar/no-such-track", key);
            using var preview = await _api.GetAsync("/audio/t001", key);
        }
        Assert.NotEmpty(_api.Logs.Entries);
        Assert.Contains(_api.Logs.Entries, entry => entry.Contains("/api/similar/t001", StringComparison.Ordinal));
        foreach (var entry in _api.Logs.Entries)
        {
            Assert.DoesNotContain(ApiHost.ReaderKey, entry, StringComparison.Ordinal);
            Assert.DoesNotContain(ApiHost.EditorKey, entry, StringComparison.Ordinal);
            Assert.DoesNotContain(ApiHost.AdminKey, entry, StringComparison.Ordinal);
            Assert.DoesNotContain("a-wrong-key-that-must-not-be-logged", entry, StringComparison.Ordinal);
        }
    }

    internal static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code, string messagePart)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(text);
        var error = body.RootElement.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Contains(messagePart, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}

using System.Net;
using System.Text.Json;
using MusicSearch.Core.Storage;
using MusicSearch.Testing;

namespace MusicSearch.Api.Tests.Hosting;

[Collection(ApiTestGroup.Name)]
public sealed class HealthEndpointTests(PipelineFixture fixture)
{
    [Fact]
    public async Task Liveness_answers_without_running_checks_or_a_key()
    {
        await using var api = ApiHost.Start(fixture);
        using var response = await api.GetAsync("/health/live", key: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal(0, body.RootElement.GetProperty("checks").GetArrayLength());
    }

    [Fact]
    public async Task Readiness_reports_the_audio_tools_the_store_and_the_bus()
    {
        await using var api = ApiHost.Start(fixture);
        await api.SeedAsync(3, fixture.AudioFiles);
        using var response = await api.GetAsync("/health/ready", key: null);
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Matches("^ffmpeg version .+; ffprobe version ", Check(json, "audio-tools").GetProperty("description").GetString());
        Assert.Equal($"tracks_{PipelineFixture.ModelA}: 3 indexed, 0 pending, 0 failed", Check(json, "store").GetProperty("description").GetString());
        Assert.Equal("Healthy", Check(json, "bus").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readiness_fails_with_a_reason_when_ffmpeg_is_missing()
    {
        await using var api = ApiHost.Start(fixture, new Dictionary<string, string?> { ["Audio:FfmpegPath"] = "/nonexistent/ffmpeg" });
        using var response = await api.GetAsync("/health/ready", key: null);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var check = Check(await response.Content.ReadAsStringAsync(), "audio-tools");
        Assert.Equal("Unhealthy", check.GetProperty("status").GetString());
        Assert.Contains("Could not start '/nonexistent/ffmpeg'", check.GetProperty("description").GetString());
    }

    [Fact]
    public async Task A_store_that_cannot_be_opened_stops_the_start_with_its_reason()
    {
        using var blocker = new TemporaryDirectory();
        // A file where the store's folder should be: the store cannot take its lock there.
        var notAFolder = blocker.File("store-is-a-file");
        await File.WriteAllTextAsync(notAFolder, "x");
        var error = Assert.Throws<TrackStoreUnavailableException>(() => ApiHost.Start(fixture, new Dictionary<string, string?> { ["Store:Directory"] = notAFolder }));
        Assert.Contains(notAFolder, error.Message, StringComparison.Ordinal);
    }

    internal static JsonElement Check(string json, string name)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name).Clone();
    }
}

using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MusicSearch.Api.Tests;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Liveness_answers_without_running_checks()
    {
        await using var api = new WebApplicationFactory<Program>();
        using var response = await api.CreateClient().GetAsync(new Uri("/health/live", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal(0, body.RootElement.GetProperty("checks").GetArrayLength());
    }

    [Fact]
    public async Task Readiness_reports_the_installed_audio_tools()
    {
        await using var api = new WebApplicationFactory<Program>();
        using var response = await api.CreateClient().GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var check = Check(await response.Content.ReadAsStringAsync(), "audio-tools");
        Assert.Equal("Healthy", check.GetProperty("status").GetString());
        Assert.Matches("^ffmpeg version .+; ffprobe version ", check.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Readiness_fails_with_a_reason_when_ffmpeg_is_missing()
    {
        await using var api = new WebApplicationFactory<Program>()
            .WithWebHostBuilder(builder => builder.UseSetting("Audio:FfmpegPath", "/nonexistent/ffmpeg"));
        using var response = await api.CreateClient().GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var check = Check(await response.Content.ReadAsStringAsync(), "audio-tools");
        Assert.Equal("Unhealthy", check.GetProperty("status").GetString());
        Assert.Contains("Could not start '/nonexistent/ffmpeg'", check.GetProperty("description").GetString());
    }

    private static JsonElement Check(string json, string name)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name).Clone();
    }
}

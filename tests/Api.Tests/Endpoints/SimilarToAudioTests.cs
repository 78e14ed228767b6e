using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MusicSearch.Api.Tests.Hosting;
using MusicSearch.Api.Tests.Security;
using MusicSearch.Core.Storage;
using MusicSearch.Testing;

namespace MusicSearch.Api.Tests.Endpoints;

/// <summary>Query by audio over HTTP: real ffmpeg-made clips embedded by the tiny model and searched in tracks the Api indexed itself.</summary>
[Collection(ApiTestGroup.Name)]
public sealed class SimilarToAudioTests(PipelineFixture fixture) : IAsyncLifetime, IDisposable
{
    private readonly TemporaryDirectory _clips = new();
    private ApiHost _api = null!;

    public async Task InitializeAsync()
    {
        _api = ApiHost.Start(fixture, new Dictionary<string, string?> { ["Upload:MaxSeconds"] = "6" });
        await Task.WhenAll(
            Clip(Audio("chord.flac"), "chord.mp3", "libmp3lame"),
            Clip(Audio("high-tone.wav"), "high.ogg", "libvorbis"));
        await File.WriteAllTextAsync(_clips.File("notes.txt"), "these are not the sounds you are looking for\n");
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    public void Dispose() => _clips.Dispose();

    [Fact]
    public async Task Mp3_and_ogg_excerpts_find_their_tracks_first()
    {
        // Real embeddings of three tracks, by the Api's own pipeline (the refusals below need only an active collection of the model).
        await _api.IndexAsync([Audio("chord.flac"), Audio("high-tone.wav"), Audio("pink-noise.flac")], "q");
        foreach (var (clip, expected) in new[] { ("chord.mp3", "q-chord"), ("high.ogg", "q-high-tone") })
        {
            using var response = await UploadAsync(_clips.File(clip), ApiHost.EditorKey);
            var json = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, json);
            using var body = JsonDocument.Parse(json);
            Assert.Equal(4, Math.Round(body.RootElement.GetProperty("durationSeconds").GetDouble()));
            var items = body.RootElement.GetProperty("results").GetProperty("items").EnumerateArray().ToArray();
            Assert.Equal(expected, items[0].GetProperty("id").GetString());
            Assert.InRange(items[0].GetProperty("score").GetDouble(), items[1].GetProperty("score").GetDouble(), 1);
        }
    }

    [Fact]
    public async Task A_text_file_is_refused_as_not_audio()
    {
        await _api.ModelCollectionAsync();
        using var response = await UploadAsync(_clips.File("notes.txt"), ApiHost.EditorKey);
        await ApiKeyTests.AssertErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "not-audio", "not audio");
    }

    [Fact]
    public async Task Audio_longer_than_allowed_is_refused()
    {
        await _api.ModelCollectionAsync();
        using var response = await UploadAsync(fixture.AudioFiles[0], ApiHost.EditorKey);
        await ApiKeyTests.AssertErrorAsync(response, (HttpStatusCode)422, "audio-too-long", "longer than the 6 s allowed");
    }

    [Fact]
    public async Task A_form_without_the_file_field_is_a_bad_request()
    {
        await _api.ModelCollectionAsync();
        using var request = ApiHost.Request(HttpMethod.Post, "/api/similar-to-audio", ApiHost.EditorKey);
        request.Content = new MultipartFormDataContent { { new StringContent("x"), "other" } };
        using var response = await _api.Client.SendAsync(request);
        await ApiKeyTests.AssertErrorAsync(response, HttpStatusCode.BadRequest, "bad-request", "field named 'file'");
    }

    [Fact]
    public async Task A_broken_multipart_body_is_a_bad_request_not_a_server_error()
    {
        await _api.ModelCollectionAsync();
        using var request = ApiHost.Request(HttpMethod.Post, "/api/similar-to-audio", ApiHost.EditorKey);
        request.Content = new StringContent("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mp3\"\r\n\r\nno closing boundary");
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
        using var response = await _api.Client.SendAsync(request);
        await ApiKeyTests.AssertErrorAsync(response, HttpStatusCode.BadRequest, "bad-request", "");
    }

    [Fact]
    public async Task An_upload_against_another_models_collection_is_a_conflict()
    {
        await using var other = ApiHost.Start(fixture, new Dictionary<string, string?> { ["Model:Package"] = fixture.PackageB });
        var collections = other.Services.GetRequiredService<ITrackCollections>();
        await collections.OpenAsync(PipelineFixture.ModelA, 32);
        await collections.ActivateAsync(PipelineFixture.ModelA);
        using var response = await UploadAsync(_clips.File("chord.mp3"), ApiHost.EditorKey, other);
        await ApiKeyTests.AssertErrorAsync(response, HttpStatusCode.Conflict, "model-mismatch", $"'{PipelineFixture.ModelB}'");
    }

    private string Audio(string name) => fixture.AudioFiles.Single(file => file.EndsWith(name, StringComparison.Ordinal));

    private async Task<HttpResponseMessage> UploadAsync(string path, string key, ApiHost? host = null)
    {
        using var request = ApiHost.Request(HttpMethod.Post, "/api/similar-to-audio?first=3", key);
        request.Content = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(path)), "file", Path.GetFileName(path) } };
        return await (host ?? _api).Client.SendAsync(request);
    }

    private Task<string> Clip(string source, string name, string codec) =>
        ExternalTool.RunAsync("ffmpeg", ["-v", "error", "-ss", "2", "-t", "4", "-i", source, "-c:a", codec, _clips.File(name)]);
}

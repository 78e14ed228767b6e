using System.Net;
using MusicSearch.Api.Tests.Hosting;
using MusicSearch.Testing;
using static MusicSearch.Api.Tests.GraphQL.CatalogQueryTests;

namespace MusicSearch.Api.Tests.GraphQL;

/// <summary>
/// <c>similarToAudio</c> through the GraphQL multipart request spec: ffmpeg-made MP3 and Ogg excerpts of tracks the Api
/// indexed itself find them first; a text file, an oversized file, a reader key and malformed maps are refused with
/// the right code or status.
/// </summary>
[Collection(ApiTestGroup.Name)]
public sealed class UploadTests(PipelineFixture fixture) : IAsyncLifetime, IDisposable
{
    private const string Operations = """
        {"query": "query($file: Upload!) { similarToAudio(file: $file, first: 3) { durationSeconds windows matches { edges { score node { id } } } } }",
         "variables": {"file": null}}
        """;

    private const string Map = """{"0": ["variables.file"]}""";
    private const int MaxUploadBytes = 300_000;

    private readonly TemporaryDirectory _clips = new();
    private ApiHost _api = null!;

    public async Task InitializeAsync()
    {
        _api = ApiHost.Start(fixture, new Dictionary<string, string?> { ["Upload:MaxSeconds"] = "6", ["Upload:MaxBytes"] = $"{MaxUploadBytes}" });
        var chord = fixture.AudioFiles.Single(file => file.EndsWith("chord.flac", StringComparison.Ordinal));
        var high = fixture.AudioFiles.Single(file => file.EndsWith("high-tone.wav", StringComparison.Ordinal));
        var noise = fixture.AudioFiles.Single(file => file.EndsWith("pink-noise.flac", StringComparison.Ordinal));
        await Task.WhenAll(
            _api.IndexAsync([chord, high, noise], "u"),
            Clip(chord, "chord.mp3", "libmp3lame"),
            Clip(high, "high.ogg", "libvorbis"));
        await File.WriteAllTextAsync(_clips.File("notes.txt"), "these are not the sounds you are looking for\n");
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    public void Dispose() => _clips.Dispose();

    [Theory]
    [InlineData("chord.mp3", "u-chord")]
    [InlineData("high.ogg", "u-high-tone")]
    public async Task An_excerpt_finds_its_track_first(string clip, string expected)
    {
        var search = (await UploadAsync(await File.ReadAllBytesAsync(_clips.File(clip)), clip)).AssertData().GetProperty("similarToAudio");
        Assert.Equal(4, Math.Round(search.GetProperty("durationSeconds").GetDouble()));
        Assert.Equal(1, search.GetProperty("windows").GetInt32());
        var edges = search.GetProperty("matches").GetProperty("edges").EnumerateArray().ToArray();
        Assert.Equal(expected, Text(edges[0].GetProperty("node"), "id"));
        Assert.InRange(edges[0].GetProperty("score").GetDouble(), edges[1].GetProperty("score").GetDouble(), 1);
    }

    [Fact]
    public async Task A_text_file_is_BAD_USER_INPUT_as_not_audio()
    {
        var response = await UploadAsync(await File.ReadAllBytesAsync(_clips.File("notes.txt")), "notes.txt");
        var error = response.AssertError(HttpStatusCode.OK, "BAD_USER_INPUT", "not audio");
        Assert.Equal("not-audio", error.GetProperty("extensions").GetProperty("reason").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, response.Data.GetProperty("similarToAudio").ValueKind);
    }

    [Fact]
    public async Task A_file_over_the_upload_limit_is_refused_by_size_and_a_far_larger_body_with_413()
    {
        var over = await UploadAsync(new byte[MaxUploadBytes + 1000], "big.mp3");
        Assert.Equal("upload-too-large", over.AssertError(HttpStatusCode.OK, "BAD_USER_INPUT", "larger than").GetProperty("extensions").GetProperty("reason").GetString());

        using var request = ApiHost.Request(HttpMethod.Post, "/graphql", ApiHost.EditorKey);
        request.Content = Form(new byte[2 * MaxUploadBytes], "huge.mp3");
        using var response = await _api.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_reader_key_may_not_upload()
    {
        var response = await UploadAsync([1, 2, 3], "x.mp3", ApiHost.ReaderKey);
        response.AssertError(HttpStatusCode.Forbidden, "FORBIDDEN", "editor role");
    }

    [Fact]
    public async Task An_Upload_variable_without_a_file_part_is_BAD_USER_INPUT()
    {
        var response = await _api.SendJsonAsync(Operations.Replace("\"file\": null", "\"file\": \"0\"", StringComparison.Ordinal), ApiHost.EditorKey);
        response.AssertError(HttpStatusCode.OK, "BAD_USER_INPUT", "multipart request");
    }

    [Theory]
    [InlineData("""{"1": ["variables.file"]}""", "does not have")]
    [InlineData("""{"0": ["variables.other"]}""", "must point at a null")]
    [InlineData("""{"0": ["query"]}""", "must lead into 'variables'")]
    [InlineData("""{"0": []}""", "non-empty list")]
    [InlineData("[]", "'map' must be a JSON object")]
    public async Task A_map_that_does_not_fit_the_request_is_400(string map, string messagePart)
    {
        using var request = ApiHost.Request(HttpMethod.Post, "/graphql", ApiHost.EditorKey);
        request.Content = Form([1, 2, 3], "x.mp3", map: map);
        request.Headers.Accept.ParseAdd(GraphQLHttp.GraphQLResponseType);
        (await _api.SendAsync(request)).AssertError(HttpStatusCode.BadRequest, "BAD_REQUEST", messagePart);
    }

    private async Task<GraphQLResponse> UploadAsync(byte[] content, string name, string key = ApiHost.EditorKey)
    {
        using var request = ApiHost.Request(HttpMethod.Post, "/graphql", key);
        request.Content = Form(content, name);
        request.Headers.Accept.ParseAdd(GraphQLHttp.GraphQLResponseType);
        return await _api.SendAsync(request);
    }

    /// <summary>The spec's order: operations, map, then the files.</summary>
    private static MultipartFormDataContent Form(byte[] content, string name, string map = Map) => new()
    {
        { new StringContent(Operations), "operations" },
        { new StringContent(map), "map" },
        { new ByteArrayContent(content), "0", name },
    };

    private Task<string> Clip(string source, string name, string codec) =>
        ExternalTool.RunAsync("ffmpeg", ["-v", "error", "-ss", "2", "-t", "4", "-i", source, "-c:a", codec, _clips.File(name)]);
}

using System.Net;
using System.Text.Json;
using MusicSearch.Api.Tests.Hosting;
using MusicSearch.Testing;
using static MusicSearch.Api.Tests.GraphQL.CatalogQueryTests;

namespace MusicSearch.Api.Tests.GraphQL;

/// <summary>
/// Indexing status, models and the editor mutations end to end: the Api indexes real audio in process, reports it over
/// GraphQL, and takes changes only from editor keys.
/// </summary>
[Collection(ApiTestGroup.Name)]
public sealed class OperationsTests(PipelineFixture fixture) : IAsyncLifetime
{
    private const string Status = "query($id: ID!) { track(id: $id) { indexing { status version failure { code reason } } } }";

    private ApiHost _api = null!;

    public async Task InitializeAsync()
    {
        _api = ApiHost.Start(fixture);
        await _api.IndexAsync([fixture.AudioFiles[0], fixture.AudioFiles[1], fixture.GarbageFile], "o");
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Indexing_reports_counts_progress_queue_and_recent_failures()
    {
        var indexing = (await _api.PostAsync("""
            { indexing { collection counts { pending indexed failed total } progress { done total fraction finished } inFlight queueDepth queues { queue }
                recentFailures(first: 5) { edges { node { code reason attempts failedAt track { id } } } pageInfo { hasNextPage } } } }
            """)).AssertData().GetProperty("indexing");
        Assert.Equal($"tracks_{PipelineFixture.ModelA}", Text(indexing, "collection"));
        Assert.Equal("""{"pending":0,"indexed":2,"failed":1,"total":3}""", indexing.GetProperty("counts").GetRawText());
        Assert.Equal("""{"done":3,"total":3,"fraction":1,"finished":true}""", indexing.GetProperty("progress").GetRawText());
        Assert.Equal((0, 0, 0), (indexing.GetProperty("inFlight").GetInt32(), indexing.GetProperty("queueDepth").GetInt32(), indexing.GetProperty("queues").GetArrayLength()));
        var failure = Assert.Single(indexing.GetProperty("recentFailures").GetProperty("edges").EnumerateArray()).GetProperty("node");
        Assert.Equal(("o-garbage", "not-audio"), (Text(failure.GetProperty("track"), "id"), Text(failure, "code")));
        Assert.True(DateTimeOffset.TryParse(Text(failure, "failedAt"), out _));
    }

    [Fact]
    public async Task Models_and_reindex_progress_describe_the_collections()
    {
        var data = (await _api.PostAsync("""
            { models { current { version architecture dimensions sampleRate windowSeconds } activeModelVersion collections { name active dimensions counts { indexed } } }
              mine: reindexProgress { modelVersion active progress { fraction finished } }
              other: reindexProgress(modelVersion: "not-started") { name } }
            """)).AssertData();
        var models = data.GetProperty("models");
        Assert.Equal((PipelineFixture.ModelA, "musicfm", PipelineFixture.ModelA),
            (Text(models.GetProperty("current"), "version"), Text(models.GetProperty("current"), "architecture"), Text(models, "activeModelVersion")));
        var collection = Assert.Single(models.GetProperty("collections").EnumerateArray());
        Assert.True(collection.GetProperty("active").GetBoolean());
        Assert.Equal(models.GetProperty("current").GetProperty("dimensions").GetInt32(), collection.GetProperty("dimensions").GetInt32());
        Assert.Equal("""{"modelVersion":"tiny-pipeline-a","active":true,"progress":{"fraction":1,"finished":true}}""", data.GetProperty("mine").GetRawText());
        Assert.Equal(JsonValueKind.Null, data.GetProperty("other").ValueKind);
    }

    [Fact]
    public async Task An_editor_enqueues_a_track_which_is_pending_at_once_and_indexed_soon()
    {
        var payload = (await _api.PostAsync("""
            mutation($tracks: [TrackInput!]) { enqueueTracks(input: {tracks: $tracks}) { enqueued version problems { location reason } } }
            """, new
        {
            tracks = new object[]
            {
                new { id = "o-new", title = "New", artist = "Generator", tags = new List<string> { "calm" }, audioUri = new Uri(fixture.AudioFiles[2]).AbsoluteUri },
                new { id = "o-bad", title = "Bad", year = 12, audioUri = new Uri(fixture.AudioFiles[2]).AbsoluteUri },
            },
        }, key: ApiHost.EditorKey)).AssertData().GetProperty("enqueueTracks");
        Assert.Equal(1, payload.GetProperty("enqueued").GetInt32());
        Assert.Equal("tracks[1]", Text(Assert.Single(payload.GetProperty("problems").EnumerateArray()), "location"));
        Assert.True(long.Parse(Text(payload, "version"), System.Globalization.CultureInfo.InvariantCulture) > 1);

        await Eventually.HoldsAsync(async () => Text((await _api.PostAsync(Status, new { id = "o-new" })).AssertData().GetProperty("track").GetProperty("indexing"), "status") == "INDEXED",
            "the enqueued track indexed", seconds: 60);
        var track = (await _api.PostAsync("{ track(id: \"o-new\") { title tags similar(first: 1) { track { id } } } }")).AssertData().GetProperty("track");
        Assert.Equal("""["calm"]""", track.GetProperty("tags").GetRawText());
        Assert.Equal(1, track.GetProperty("similar").GetArrayLength());
    }

    [Fact]
    public async Task Enqueueing_a_path_outside_the_library_or_both_kinds_of_input_is_BAD_USER_INPUT()
    {
        var outside = await _api.PostAsync("mutation { enqueueTracks(input: {path: \"/etc\"}) { enqueued } }", key: ApiHost.EditorKey);
        Assert.Equal("bad-catalog-path", outside.AssertError(HttpStatusCode.OK, "BAD_USER_INPUT", "outside the library roots").GetProperty("extensions").GetProperty("reason").GetString());
        var both = await _api.PostAsync("mutation { enqueueTracks(input: {path: \"/etc\", tracks: []}) { enqueued } }", key: ApiHost.EditorKey);
        both.AssertError(HttpStatusCode.OK, "BAD_USER_INPUT", "exactly one");
        var neither = await _api.PostAsync("mutation { enqueueTracks(input: {}) { enqueued } }", key: ApiHost.EditorKey);
        neither.AssertError(HttpStatusCode.OK, "BAD_USER_INPUT", "exactly one");
    }

    [Fact]
    public async Task An_editor_removes_a_track_and_an_unknown_one_is_NOT_FOUND()
    {
        await _api.IndexAsync([fixture.AudioFiles[3]], "gone");
        var removed = (await _api.PostAsync("mutation { removeTrack(id: \"gone-brown-noise\") { trackId version } }", key: ApiHost.EditorKey)).AssertData();
        Assert.Equal("gone-brown-noise", Text(removed.GetProperty("removeTrack"), "trackId"));
        await Eventually.HoldsAsync(async () => (await _api.PostAsync(Status, new { id = "gone-brown-noise" })).Codes.SequenceEqual(["NOT_FOUND"]), "the track gone");

        var unknown = await _api.PostAsync("mutation { removeTrack(id: \"never-was\") { trackId } }", key: ApiHost.EditorKey);
        Assert.Equal((JsonValueKind.Null, "NOT_FOUND"), (unknown.Data.GetProperty("removeTrack").ValueKind, unknown.Codes.Single()));
    }

    [Fact]
    public async Task An_editor_retries_a_failed_track_and_starts_a_reindex()
    {
        var before = Text((await _api.PostAsync(Status, new { id = "o-garbage" })).AssertData().GetProperty("track").GetProperty("indexing"), "version");
        var retried = (await _api.PostAsync("mutation { retryFailed(ids: [\"o-garbage\", \"o-low-tone\"]) { enqueued } }", key: ApiHost.EditorKey)).AssertData();
        Assert.Equal(1, retried.GetProperty("retryFailed").GetProperty("enqueued").GetInt32());
        await Eventually.HoldsAsync(async () =>
        {
            var indexing = (await _api.PostAsync(Status, new { id = "o-garbage" })).AssertData().GetProperty("track").GetProperty("indexing");
            return Text(indexing, "status") == "FAILED" && Text(indexing, "version") != before;
        }, "the retried track failed again at a newer version");

        var reindex = (await _api.PostAsync("mutation { reindex(modelVersion: \"tiny-pipeline-b\") { modelVersion } }", key: ApiHost.EditorKey)).AssertData();
        Assert.Equal(PipelineFixture.ModelB, Text(reindex.GetProperty("reindex"), "modelVersion"));
        Assert.Equal(["BAD_USER_INPUT"], (await _api.PostAsync("mutation { reindex(modelVersion: \" \") { modelVersion } }", key: ApiHost.EditorKey)).Codes);
    }

    [Theory]
    [InlineData("mutation { enqueueTracks(input: {path: \"x\"}) { enqueued } }", "enqueueTracks")]
    [InlineData("mutation { removeTrack(id: \"o-low-tone\") { trackId } }", "removeTrack")]
    [InlineData("mutation { retryFailed { enqueued } }", "retryFailed")]
    [InlineData("mutation { reindex(modelVersion: \"v\") { modelVersion } }", "reindex")]
    public async Task A_reader_key_gets_FORBIDDEN_for_every_mutation(string mutation, string field)
    {
        var response = await _api.PostAsync(mutation, key: ApiHost.ReaderKey);
        response.AssertError(HttpStatusCode.OK, "FORBIDDEN", "'app' does not have it");
        Assert.Equal(JsonValueKind.Null, response.Data.GetProperty(field).ValueKind);
        Assert.Equal(field, response.Errors[0].GetProperty("path")[0].GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.PostAsync(mutation, key: null)).Status);
    }

    [Fact]
    public async Task Where_anonymous_reads_are_allowed_a_keyless_query_is_answered_and_a_keyless_mutation_is_FORBIDDEN()
    {
        await using var demo = ApiHost.Start(fixture, new Dictionary<string, string?> { ["Auth:AllowAnonymousRead"] = "true" });
        (await demo.PostAsync("{ models { current { version } } }", key: null)).AssertData();
        var mutation = await demo.PostAsync("mutation { retryFailed { enqueued } }", key: null);
        mutation.AssertError(HttpStatusCode.OK, "FORBIDDEN", "a request without an API key");
    }
}

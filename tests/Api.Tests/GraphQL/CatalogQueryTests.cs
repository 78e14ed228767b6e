using System.Net;
using System.Text.Json;
using MusicSearch.Api.Tests.Hosting;
using MusicSearch.Testing;

namespace MusicSearch.Api.Tests.GraphQL;

/// <summary>
/// <c>track</c>, <c>tracks</c> and the <c>Track</c> type on seeded tracks of a real embedded store: payload, signed
/// preview URLs, indexing state, cursor paging, filters, text search, and batched lookups for lists.
/// </summary>
[Collection(ApiTestGroup.Name)]
public sealed class CatalogQueryTests(PipelineFixture fixture) : IAsyncLifetime
{
    private ApiHost _api = null!;

    public async Task InitializeAsync()
    {
        _api = ApiHost.Start(fixture);
        await _api.SeedAsync(6, fixture.AudioFiles);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_track_has_its_payload_indexing_state_and_a_preview_url_that_plays_without_a_key()
    {
        var track = (await _api.PostAsync("""
            { track(id: "t003") { id title artist album genre year bpm durationSeconds tags previewUrl
                indexing { status version attempts updatedAt modelVersion failure { code } } } }
            """)).AssertData().GetProperty("track");
        Assert.Equal(("t003", "Song 3", "Artist 3", "Album 3", "rock"),
            (Text(track, "id"), Text(track, "title"), Text(track, "artist"), Text(track, "album"), Text(track, "genre")));
        Assert.Equal(JsonValueKind.Null, track.GetProperty("year").ValueKind);
        Assert.Equal(0, track.GetProperty("tags").GetArrayLength());
        var indexing = track.GetProperty("indexing");
        Assert.Equal(("INDEXED", "1", PipelineFixture.ModelA), (Text(indexing, "status"), Text(indexing, "version"), Text(indexing, "modelVersion")));
        Assert.Equal(JsonValueKind.Null, indexing.GetProperty("failure").ValueKind);
        Assert.True(DateTimeOffset.TryParse(Text(indexing, "updatedAt"), out _));

        var previewUrl = new Uri(Text(track, "previewUrl"));
        Assert.Equal(_api.Client.BaseAddress!.Authority, previewUrl.Authority);
        using var preview = await _api.Client.GetAsync(previewUrl);
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal(await File.ReadAllBytesAsync(fixture.AudioFiles[3]), await preview.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task An_unknown_track_is_null_with_NOT_FOUND_and_an_invalid_id_is_BAD_USER_INPUT()
    {
        var unknown = await _api.PostAsync("{ track(id: \"nope\") { id } }");
        Assert.Equal(JsonValueKind.Null, unknown.Data.GetProperty("track").ValueKind);
        Assert.Equal(["NOT_FOUND"], unknown.Codes);
        var invalid = await _api.PostAsync("{ track(id: \" padded \") { id } }");
        Assert.Equal(["BAD_USER_INPUT"], invalid.Codes);
    }

    [Fact]
    public async Task Pages_of_tracks_follow_their_cursors_through_the_catalog_in_id_order()
    {
        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        bool hasNext;
        do
        {
            var connection = (await _api.PostAsync("query($after: String) { tracks(first: 4, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage endCursor } } }",
                new { after })).AssertData().GetProperty("tracks");
            var edges = connection.GetProperty("edges").EnumerateArray().ToArray();
            seen.AddRange(edges.Select(edge => Text(edge.GetProperty("node"), "id")));
            var pageInfo = connection.GetProperty("pageInfo");
            Assert.Equal(after is not null, pageInfo.GetProperty("hasPreviousPage").GetBoolean());
            Assert.Equal(Text(edges[^1], "cursor"), Text(pageInfo, "endCursor"));
            hasNext = pageInfo.GetProperty("hasNextPage").GetBoolean();
            after = Text(pageInfo, "endCursor");
            pages++;
        }
        while (hasNext);
        Assert.Equal(2, pages);
        Assert.Equal(["t000", "t001", "t002", "t003", "t004", "t005"], seen);
    }

    [Fact]
    public async Task Filters_status_and_text_search_narrow_the_list()
    {
        var rock = (await _api.PostAsync("{ tracks(filter: {genres: [\"ROCK\"], excludeTracks: [\"t005\"]}) { nodes { id } } }")).AssertData();
        Assert.Equal(["t001", "t003"], Ids(rock.GetProperty("tracks").GetProperty("nodes")));

        var failed = (await _api.PostAsync("{ tracks(status: FAILED) { nodes { id } pageInfo { hasNextPage endCursor } } }")).AssertData().GetProperty("tracks");
        Assert.Equal(0, failed.GetProperty("nodes").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, failed.GetProperty("pageInfo").GetProperty("endCursor").ValueKind);

        var found = (await _api.PostAsync("{ tracks(search: \"song 4\") { edges { relevance node { id } } } }")).AssertData();
        var edge = Assert.Single(found.GetProperty("tracks").GetProperty("edges").EnumerateArray());
        Assert.Equal("t004", Text(edge.GetProperty("node"), "id"));
        Assert.True(edge.GetProperty("relevance").GetDouble() > 0);
    }

    [Fact]
    public async Task A_bad_cursor_or_range_is_BAD_USER_INPUT()
    {
        Assert.Equal(["BAD_USER_INPUT"], (await _api.PostAsync("{ tracks(after: \"not-a-cursor\") { nodes { id } } }")).Codes);
        Assert.Equal(["BAD_USER_INPUT"], (await _api.PostAsync("{ tracks(filter: {yearFrom: 2000, yearTo: 1990}) { nodes { id } } }")).Codes);
        Assert.Equal(["BAD_USER_INPUT"], (await _api.PostAsync("{ tracks(first: 0) { nodes { id } } }")).Codes);
    }

    [Fact]
    public async Task Neighbours_and_states_of_every_track_of_a_list_are_each_loaded_in_one_batch()
    {
        var before = Count("Searched the neighbours of 6 tracks in one batch") + Count("Loaded 6 of 6 track records in one batch");
        var nodes = (await _api.PostAsync("{ tracks(first: 6) { nodes { id indexing { status } similar(first: 2) { score track { id } } } } }"))
            .AssertData().GetProperty("tracks").GetProperty("nodes").EnumerateArray().ToArray();

        Assert.Equal(before + 2, Count("Searched the neighbours of 6 tracks in one batch") + Count("Loaded 6 of 6 track records in one batch"));
        Assert.Equal(0, Count("Searched the neighbours of 1 tracks"));
        foreach (var node in nodes)
        {
            Assert.Equal("INDEXED", Text(node.GetProperty("indexing"), "status"));
            // The batch answers exactly what the single-seed query answers.
            var single = (await _api.PostAsync("query($id: ID!) { similarTracks(trackId: $id, first: 2) { edges { score node { id } } } }", new { id = Text(node, "id") }))
                .AssertData().GetProperty("similarTracks").GetProperty("edges").EnumerateArray()
                .Select(edge => (Text(edge.GetProperty("node"), "id"), edge.GetProperty("score").GetDouble()));
            Assert.Equal(single, node.GetProperty("similar").EnumerateArray().Select(item => (Text(item.GetProperty("track"), "id"), item.GetProperty("score").GetDouble())));
        }
    }

    private int Count(string message) => _api.Logs.Entries.Count(entry => entry.Contains(message, StringComparison.Ordinal));

    internal static string Text(JsonElement element, string property) => element.GetProperty(property).GetString()!;

    internal static string[] Ids(JsonElement nodes) => [.. nodes.EnumerateArray().Select(node => Text(node, "id"))];
}

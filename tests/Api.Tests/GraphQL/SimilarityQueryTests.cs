using System.Text.Json;
using MusicSearch.Api.Tests.Hosting;
using MusicSearch.Core.Catalog;
using MusicSearch.Testing;
using static MusicSearch.Api.Tests.GraphQL.CatalogQueryTests;

namespace MusicSearch.Api.Tests.GraphQL;

/// <summary>
/// The similarity fields through HTTP on a real embedded store: similar tracks (0–1 scores, paging, diversity),
/// recommendations, explanations, playlist paths, near duplicates and the map, with their coded errors.
/// </summary>
[Collection(ApiTestGroup.Name)]
public sealed class SimilarityQueryTests(PipelineFixture fixture) : IAsyncLifetime
{
    private const string Similar = """
        query($id: ID!, $first: Int, $after: String, $artist: Boolean, $max: Int, $min: Float) {
          similarTracks(trackId: $id, first: $first, after: $after, excludeSameArtist: $artist, maxPerArtist: $max, minScore: $min) {
            edges { cursor score cosine node { id artist } } nodes { id } pageInfo { hasNextPage endCursor }
          }
        }
        """;

    private ApiHost _api = null!;

    public async Task InitializeAsync()
    {
        _api = ApiHost.Start(fixture);
        var tracks = await _api.SeedAsync(12, fixture.AudioFiles);
        // Two re-uploads of one recording: the same vectors under other ids.
        var store = await _api.ModelCollectionAsync();
        var original = (await store.GetAsync(tracks[0].Id, withVectors: true))!;
        await store.UpsertAsync([
            new(tracks[0] with { Id = new TrackId("dup-a"), Title = "Copy A" }, original.Vectors!, 1),
            new(tracks[0] with { Id = new TrackId("dup-b"), Title = "Copy B" }, original.Vectors!, 1),
        ]);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Similar_tracks_come_best_first_with_0_to_1_scores_and_match_the_REST_call()
    {
        var connection = (await _api.PostAsync(Similar, new { id = "t003", first = 5 })).AssertData().GetProperty("similarTracks");
        var edges = connection.GetProperty("edges").EnumerateArray().ToArray();
        Assert.Equal(5, edges.Length);
        var scores = edges.Select(edge => edge.GetProperty("score").GetDouble()).ToArray();
        Assert.All(scores, score => Assert.InRange(score, 0, 1));
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.All(edges, edge => Assert.Equal((1 + edge.GetProperty("cosine").GetDouble()) / 2, edge.GetProperty("score").GetDouble(), 6));
        Assert.DoesNotContain("t003", edges.Select(edge => Text(edge.GetProperty("node"), "id")));

        using var rest = await _api.GetAsync("/api/similar/t003?first=5");
        using var body = JsonDocument.Parse(await rest.Content.ReadAsStringAsync());
        Assert.Equal(body.RootElement.GetProperty("items").EnumerateArray().Select(item => (Text(item, "id"), item.GetProperty("score").GetDouble())),
            edges.Select(edge => (Text(edge.GetProperty("node"), "id"), edge.GetProperty("score").GetDouble())));
    }

    [Fact]
    public async Task Pages_of_similar_tracks_continue_where_the_last_ended()
    {
        var whole = Ids((await _api.PostAsync(Similar, new { id = "t001", first = 6 })).AssertData().GetProperty("similarTracks").GetProperty("nodes"));
        var first = (await _api.PostAsync(Similar, new { id = "t001", first = 3 })).AssertData().GetProperty("similarTracks");
        Assert.True(first.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        var second = (await _api.PostAsync(Similar, new { id = "t001", first = 3, after = Text(first.GetProperty("pageInfo"), "endCursor") }))
            .AssertData().GetProperty("similarTracks");
        Assert.Equal(whole, Ids(first.GetProperty("nodes")).Concat(Ids(second.GetProperty("nodes"))).ToArray());
    }

    [Fact]
    public async Task Diversity_and_score_floor_arguments_shape_the_results()
    {
        var otherArtists = (await _api.PostAsync(Similar, new { id = "t000", first = 10, artist = true })).AssertData();
        Assert.All(otherArtists.GetProperty("similarTracks").GetProperty("edges").EnumerateArray(),
            edge => Assert.NotEqual("Artist 0", Text(edge.GetProperty("node"), "artist")));

        var onePerArtist = (await _api.PostAsync(Similar, new { id = "t000", first = 10, max = 1 })).AssertData();
        var artists = onePerArtist.GetProperty("similarTracks").GetProperty("edges").EnumerateArray().Select(edge => Text(edge.GetProperty("node"), "artist")).ToArray();
        Assert.Equal(artists.Distinct(), artists);

        var floor = (await _api.PostAsync(Similar, new { id = "t000", first = 10, min = 0.5 })).AssertData();
        Assert.All(floor.GetProperty("similarTracks").GetProperty("edges").EnumerateArray(), edge => Assert.True(edge.GetProperty("score").GetDouble() >= 0.5));
    }

    [Fact]
    public async Task An_unknown_seed_is_null_with_NOT_FOUND_and_bad_arguments_are_BAD_USER_INPUT()
    {
        var unknown = await _api.PostAsync(Similar, new { id = "nope" });
        Assert.Equal(JsonValueKind.Null, unknown.Data.GetProperty("similarTracks").ValueKind);
        Assert.Equal(["NOT_FOUND"], unknown.Codes);
        Assert.Equal("similarTracks", unknown.Errors[0].GetProperty("path")[0].GetString());

        Assert.Equal(["BAD_USER_INPUT"], (await _api.PostAsync(Similar, new { id = "t000", min = 1.5 })).Codes);
        Assert.Equal(["BAD_USER_INPUT"], (await _api.PostAsync(Similar, new { id = "t000", max = 0 })).Codes);
        Assert.Equal(["BAD_USER_INPUT"], (await _api.PostAsync(Similar, new { id = "t000", after = "bogus" })).Codes);
    }

    [Fact]
    public async Task Recommendations_follow_the_examples_and_leave_them_out()
    {
        const string query = "query($p: [ID!]!, $n: [ID!]) { recommend(positive: $p, negative: $n, first: 5) { edges { score node { id } } } }";
        var edges = (await _api.PostAsync(query, new { p = new List<string> { "t000", "t001" }, n = new List<string> { "t002" } }))
            .AssertData().GetProperty("recommend").GetProperty("edges").EnumerateArray().ToArray();
        Assert.Equal(5, edges.Length);
        Assert.Empty(edges.Select(edge => Text(edge.GetProperty("node"), "id")).Intersect(["t000", "t001", "t002"]));
        var scores = edges.Select(edge => edge.GetProperty("score").GetDouble()).ToArray();
        Assert.Equal(scores.OrderDescending(), scores);

        Assert.Equal(["BAD_USER_INPUT"], (await _api.PostAsync(query, new { p = new List<string> { "t000" }, n = new List<string> { "t000" } })).Codes);
        Assert.Equal(["BAD_USER_INPUT"], (await _api.PostAsync(query, new { p = Array.Empty<string>() })).Codes);
        var unknown = await _api.PostAsync(query, new { p = new List<string> { "t000", "nope" } });
        Assert.Equal((JsonValueKind.Null, "NOT_FOUND"), (unknown.Data.GetProperty("recommend").ValueKind, unknown.Codes[0]));
    }

    [Fact]
    public async Task An_explanation_has_the_window_matrix_and_its_best_pair()
    {
        var explanation = (await _api.PostAsync("""
            { explainSimilarity(a: "t000", b: "t001") { a { id } b { id } score cosine windowsA { index startSeconds durationSeconds } windowsB { index }
                matrix best { score cosine a { index startSeconds } b { index startSeconds } } } }
            """)).AssertData().GetProperty("explainSimilarity");
        var matrix = explanation.GetProperty("matrix").EnumerateArray().Select(row => row.EnumerateArray().Select(cell => cell.GetDouble()).ToArray()).ToArray();
        Assert.Equal((2, 2), (matrix.Length, matrix[0].Length));
        Assert.Equal([0.0, 30.0], explanation.GetProperty("windowsA").EnumerateArray().Select(window => window.GetProperty("startSeconds").GetDouble()));
        var best = explanation.GetProperty("best");
        Assert.Equal(matrix.SelectMany(row => row).Max(), best.GetProperty("score").GetDouble(), 6);
        var (i, j) = (best.GetProperty("a").GetProperty("index").GetInt32(), best.GetProperty("b").GetProperty("index").GetInt32());
        Assert.Equal(matrix[i][j], best.GetProperty("score").GetDouble(), 6);
        Assert.Equal(30.0 * i, best.GetProperty("a").GetProperty("startSeconds").GetDouble());

        var unknown = await _api.PostAsync("{ explainSimilarity(a: \"t000\", b: \"nope\") { score } }");
        Assert.Equal((JsonValueKind.Null, "NOT_FOUND"), (unknown.Data.GetProperty("explainSimilarity").ValueKind, unknown.Codes[0]));
    }

    [Fact]
    public async Task A_path_walks_from_one_track_to_the_other_without_repeats()
    {
        var stops = (await _api.PostAsync("{ path(from: \"t002\", to: \"t007\", steps: 5) { position score track { id } } }"))
            .AssertData().GetProperty("path").EnumerateArray().ToArray();
        var ids = stops.Select(stop => Text(stop.GetProperty("track"), "id")).ToArray();
        Assert.Equal(5, ids.Length);
        Assert.Equal(("t002", "t007"), (ids[0], ids[^1]));
        Assert.Equal(ids.Distinct(), ids);
        Assert.Equal([0, 0.25, 0.5, 0.75, 1], stops.Select(stop => stop.GetProperty("position").GetDouble()));

        Assert.Equal(["BAD_USER_INPUT"], (await _api.PostAsync("{ path(from: \"t002\", to: \"t007\", steps: 1) { position } }")).Codes);
        Assert.Equal(["NOT_FOUND"], (await _api.PostAsync("{ path(from: \"t002\", to: \"nope\") { position } }")).Codes);
    }

    [Fact]
    public async Task Duplicates_find_the_copies_of_one_recording()
    {
        var pairs = (await _api.PostAsync("{ duplicates(threshold: 0.999) { edges { node { score a { id } b { id } } } pageInfo { hasNextPage } } }"))
            .AssertData().GetProperty("duplicates").GetProperty("edges").EnumerateArray()
            .Select(edge => (Text(edge.GetProperty("node").GetProperty("a"), "id"), Text(edge.GetProperty("node").GetProperty("b"), "id"), edge.GetProperty("node").GetProperty("score").GetDouble()))
            .ToArray();
        Assert.Equal([("dup-a", "dup-b"), ("dup-a", "t000"), ("dup-b", "t000")], pairs.Select(pair => (pair.Item1, pair.Item2)).Order());
        Assert.All(pairs, pair => Assert.True(pair.Item3 > 0.999));

        Assert.Equal(["BAD_USER_INPUT"], (await _api.PostAsync("{ duplicates(threshold: 0.5) { edges { cursor } } }")).Codes);
    }

    [Fact]
    public async Task The_map_projects_a_deterministic_sample_of_the_catalog()
    {
        const string query = "{ map(sample: 5) { indexedTracks explainedVarianceX explainedVarianceY points { x y track { id } } } }";
        var map = (await _api.PostAsync(query)).AssertData().GetProperty("map");
        Assert.Equal(14, map.GetProperty("indexedTracks").GetInt32());
        Assert.Equal(5, map.GetProperty("points").GetArrayLength());
        Assert.InRange(map.GetProperty("explainedVarianceX").GetDouble() + map.GetProperty("explainedVarianceY").GetDouble(), 0, 1);
        Assert.True(map.GetProperty("explainedVarianceX").GetDouble() >= map.GetProperty("explainedVarianceY").GetDouble());
        Assert.Equal(map.GetRawText(), (await _api.PostAsync(query)).AssertData().GetProperty("map").GetRawText());

        Assert.Equal(["BAD_USER_INPUT"], (await _api.PostAsync("{ map(sample: 0) { indexedTracks } }")).Codes);
    }
}

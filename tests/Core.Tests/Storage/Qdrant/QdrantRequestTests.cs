using System.Text.Json.Nodes;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;
using MusicSearch.Core.Storage.Qdrant;
using MusicSearch.Core.Tests.Storage.Contract;
using MusicSearch.Core.Tests.Storage.Qdrant.OpenApi;

namespace MusicSearch.Core.Tests.Storage.Qdrant;

/// <summary>What the store sends: every operation it uses, batching, options that shape requests, and the version guard.</summary>
public sealed class QdrantRequestTests : IDisposable
{
    private const int Dimensions = 8;
    private readonly FakeQdrant _server = new();

    public void Dispose() => _server.Dispose();

    private QdrantTrackCollections Open(Action<QdrantStoreOptions>? configure = null)
    {
        var options = new QdrantStoreOptions { Url = new Uri("http://qdrant.test:6333"), MaxRetries = 0 };
        configure?.Invoke(options);
        return new QdrantTrackCollections(options, _server);
    }

    private static TrackPoint Point(string id, int seed, int windows = 2, string? artist = null) =>
        TestTracks.Point(TestTracks.Track(id, artist ?? $"artist {seed % 3}", title: $"Song {id}"), TestTracks.Vectors(new Random(seed), Dimensions, windows));

    [Fact]
    public async Task Every_operation_the_store_uses_is_in_the_document_and_exercised()
    {
        await using var collections = Open(options =>
        {
            options.Diversity = 0.3f;
            options.Quantization = QdrantQuantization.None;
            options.ShardNumber = 6;
            options.ReplicationFactor = 2;
            options.WriteConsistencyFactor = 1;
            options.Namespace = "ns_";
            options.VectorsOnDisk = true;
        });
        var store = await collections.OpenAsync("m1", Dimensions);
        var points = Enumerable.Range(0, 12).Select(i => Point($"t{i:D2}", i)).ToList();
        await store.UpsertAsync(points);
        await store.MarkPendingAsync([new PendingTrack(points[0].Track with { Album = "New" }, 2)]);
        await store.MarkFailedAsync([new TrackFailure(points[1].Track, 2, "corrupt", "bad")]);
        await store.RemoveAsync([new TrackRemoval(points[2].Track.Id, 2)]);
        await store.GetAsync(points[3].Track.Id, withVectors: true);
        await store.SearchAsync(SimilarityQuery.ForTrack(points[3].Track.Id) with { MaxPerArtist = 1, Precision = SearchPrecision.Quantized });
        await store.SearchBatchAsync([SimilarityQuery.ForTrack(points[4].Track.Id), new SimilarityQuery { Positive = [QueryExample.OfTrack(points[5].Track.Id)], Negative = [QueryExample.OfTrack(points[6].Track.Id)] }]);
        await store.SearchWindowsAsync(new WindowQuery(points[7].Vectors.Windows[0].Vector) { MaxPerTrack = 2 });
        await store.SearchTextAsync(new TextQuery("song t0"));
        await store.CountAsync();
        await store.ListAsync(new TrackListQuery { Limit = 5, WithVectors = true });
        await collections.ActivateAsync("m1");
        await collections.OpenAsync("m2", Dimensions);
        await collections.ActivateAsync("m2");
        await collections.GetActiveAsync();
        await collections.DropAsync("m1");
        await collections.ListAsync();

        var used = _server.Requests.Select(r => $"{r.Method} {Template(r.PathAndQuery)}").ToHashSet();
        Assert.Equal(
        [
            "DELETE /collections/{collection_name}", "GET /aliases", "GET /collections", "GET /collections/{collection_name}",
            "POST /collections/aliases", "POST /collections/{collection_name}/facet", "POST /collections/{collection_name}/points",
            "POST /collections/{collection_name}/points/batch", "POST /collections/{collection_name}/points/query",
            "POST /collections/{collection_name}/points/query/batch", "POST /collections/{collection_name}/points/query/groups",
            "POST /collections/{collection_name}/points/scroll", "PUT /collections/{collection_name}", "PUT /collections/{collection_name}/index",
        ], used.Order(StringComparer.Ordinal));

        var create = JsonNode.Parse(_server.Requests.First(r => r.Method == HttpMethod.Put && r.PathAndQuery == "/collections/ns_tracks_m1").Body!)!;
        Assert.Equal(6, create["shard_number"]!.GetValue<int>());
        Assert.Equal(2, create["replication_factor"]!.GetValue<int>());
        Assert.Null(create["quantization_config"]);
        Assert.Equal("Cosine", create["vectors"]!["window"]!["distance"]!.GetValue<string>());
        Assert.Equal("cold", create["vectors"]!["track"]!["memory"]!.GetValue<string>());
        var nearest = _server.Requests.Select(r => r.Body).OfType<string>().Select(b => JsonNode.Parse(b)!).First(b => b["searches"] is not null);
        Assert.Equal(0.3f, nearest["searches"]![0]!["query"]!["mmr"]!["diversity"]!.GetValue<float>());
        Assert.Null(nearest["searches"]![1]!["query"]!["mmr"]);
    }

    private static string Template(string pathAndQuery)
    {
        var path = pathAndQuery.Split('?')[0];
        var parts = path.Trim('/').Split('/');
        if (parts.Length >= 2 && parts[0] == "collections" && parts[1] != "aliases")
        {
            parts[1] = "{collection_name}";
        }
        return "/" + string.Join('/', parts);
    }

    [Fact]
    public async Task Writes_are_cut_into_requests_of_bounded_size_with_wait_and_medium_ordering()
    {
        await using var collections = Open(options => options.MaxPointsPerRequest = 10);
        var store = await collections.OpenAsync("m1", Dimensions);
        _server.Requests.Clear();

        await store.UpsertAsync([.. Enumerable.Range(0, 12).Select(i => Point($"t{i:D2}", i))]);

        var batches = _server.Requests.Where(r => r.PathAndQuery.Contains("/points/batch", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, batches.Count);
        Assert.All(batches, batch =>
        {
            Assert.EndsWith("/points/batch?wait=true&ordering=medium", batch.PathAndQuery, StringComparison.Ordinal);
            var points = JsonNode.Parse(batch.Body!)!["operations"]!.AsArray().Sum(op => op!["upsert"]?["points"]!.AsArray().Count ?? 0);
            Assert.Equal(9, points);
        });
        Assert.Equal(new StatusCounts(0, 12, 0), await store.CountAsync());
    }

    [Fact]
    public async Task Activation_switches_the_alias_in_one_atomic_request()
    {
        await using var collections = Open();
        await collections.OpenAsync("m1", Dimensions);
        await collections.OpenAsync("m2", Dimensions);
        await collections.ActivateAsync("m1");
        _server.Requests.Clear();

        await collections.ActivateAsync("m2");

        var change = Assert.Single(_server.Requests, r => r.PathAndQuery == "/collections/aliases");
        var actions = JsonNode.Parse(change.Body!)!["actions"]!.AsArray();
        Assert.Equal("""[{"delete_alias":{"alias_name":"musicsearch_active"}},{"create_alias":{"collection_name":"tracks_m2","alias_name":"musicsearch_active"}}]""",
            actions.ToJsonString());
        Assert.Equal("m2", (await collections.GetActiveAsync())!.Info.ModelVersion);
    }

    [Fact]
    public async Task A_write_that_loses_a_race_with_a_newer_one_changes_nothing()
    {
        await using var first = Open();
        await using var second = Open();
        var store = await first.OpenAsync("m1", Dimensions);
        var other = await second.OpenAsync("m1", Dimensions);
        await store.UpsertAsync([Point("a", 1, windows: 3) with { Version = 1 }]);
        var newer = Point("a", 3, windows: 1) with { Version = 3 };
        var raced = false;
        _server.BeforeServing = async (method, path) =>
        {
            // The newer write lands after this store read version 1 and before its own write arrives.
            if (!raced && path.Contains("/points/batch", StringComparison.Ordinal))
            {
                raced = true;
                await other.UpsertAsync([newer]);
            }
        };

        Assert.Equal([WriteOutcome.Applied], await store.UpsertAsync([Point("a", 2, windows: 2) with { Version = 2 }]));

        var record = await store.GetAsync(new TrackId("a"), withVectors: true);
        Assert.Equal(3, record!.State.Version);
        TestTracks.SameVector(newer.Vectors.Vector, record.Vectors!.Vector);
        Assert.Single(record.Vectors.Windows);
    }

    public static TheoryData<int> PageSizes => new() { 1, 2, 3, 7, 50 };

    [Theory]
    [MemberData(nameof(PageSizes))]
    public async Task Listing_pages_through_ids_sharing_long_prefixes_in_id_order(int pageSize)
    {
        await using var collections = Open();
        var store = await collections.OpenAsync("m1", Dimensions);
        string[] ids =
        [
            "isrc:GB", "isrc:GBA", "isrc:GBAYE", "isrc:GBAYE0", "isrc:GBAYE06", "isrc:GBAYE0601498", "isrc:GBAYE0601499", "isrc:GBAYE06014",
            "isrc:GBAYE0601498-remaster", "isrc:GBAYE0601498-remastered-2011", "isrc:US", "a", "aaaaaa", "aaaaaaa", "aaaaab", "Z", "é", "ée", "🎵",
            "\uFFFD", "ab🎵cdefghijkl", "ab🎵cdefghijkm", "ab\uFFFDcdefg",
        ];
        await store.UpsertAsync([.. ids.Select((id, i) => Point(id, i, windows: 0))]);

        var listed = new List<string>();
        TrackId? cursor = null;
        do
        {
            var page = await store.ListAsync(new TrackListQuery { After = cursor, Limit = pageSize });
            listed.AddRange(page.Items.Select(r => r.Track.Id.Value));
            cursor = page.Next;
        }
        while (cursor is not null);

        Assert.Equal(ids.Select(id => new TrackId(id)).Order().Select(id => id.Value), listed);
    }

    [Fact]
    public async Task A_text_search_without_words_asks_nothing()
    {
        await using var collections = Open();
        var store = await collections.OpenAsync("m1", Dimensions);
        _server.Requests.Clear();
        Assert.Empty(await store.SearchTextAsync(new TextQuery("* - ^")));
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public void A_request_the_store_sends_fails_validation_once_a_field_is_misspelled_or_mistyped()
    {
        var request = JsonNode.Parse("""
            {"query":{"nearest":[0.1,0.2]},"using":"track","filter":{"must":[{"key":"kind","match":{"value":"track"}}]},
             "params":{"exact":true,"quantization":{"ignore":true}},"limit":10,"offset":0,"with_payload":true}
            """)!.AsObject();
        var uri = new Uri("http://q/collections/tracks_m1/points/query");
        Assert.Empty(QdrantOpenApi.Document.ValidateRequest(HttpMethod.Post, uri, request.ToJsonString()));

        var misspelled = (JsonObject)request.DeepClone();
        misspelled["filter"]!["must"]![0]!["match"] = new JsonObject { ["valeu"] = "track" };
        Assert.NotEmpty(QdrantOpenApi.Document.ValidateRequest(HttpMethod.Post, uri, misspelled.ToJsonString()));

        var mistyped = (JsonObject)request.DeepClone();
        mistyped["limit"] = "10";
        Assert.Contains(QdrantOpenApi.Document.ValidateRequest(HttpMethod.Post, uri, mistyped.ToJsonString()), e => e.Contains("$.limit", StringComparison.Ordinal));
    }
}

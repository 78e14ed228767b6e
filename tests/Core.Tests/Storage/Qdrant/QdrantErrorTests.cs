using System.Diagnostics;
using System.Net;
using MusicSearch.Core.Storage;
using MusicSearch.Core.Storage.Qdrant;

namespace MusicSearch.Core.Tests.Storage.Qdrant;

/// <summary>How the store maps Qdrant's answers: 4xx at once with Qdrant's message, 5xx / timeouts / broken connections retried with backoff.</summary>
public sealed class QdrantErrorTests
{
    private const string NoCollections = """{"collections":[]}""";

    private static QdrantTrackCollections Open(ScriptedQdrant server, int retries = 2, TimeSpan? timeout = null) => new(new QdrantStoreOptions
    {
        Url = new Uri("http://qdrant.test:6333"),
        ApiKey = "secret-key",
        MaxRetries = retries,
        RetryDelay = TimeSpan.FromMilliseconds(5),
        Timeout = timeout ?? TimeSpan.FromSeconds(10),
    }, server);

    [Fact]
    public async Task A_4xx_answer_fails_at_once_with_Qdrants_message()
    {
        using var server = new ScriptedQdrant(ScriptedQdrant.Error(HttpStatusCode.BadRequest, "Wrong input: Vector dimension error: expected dim: 12, got 13"));
        await using var collections = Open(server);

        var error = await Assert.ThrowsAsync<QdrantRequestException>(() => collections.ListAsync());

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("Wrong input: Vector dimension error: expected dim: 12, got 13", error.ServerError);
        Assert.Contains("GET /collections", error.Message, StringComparison.Ordinal);
        Assert.Contains("expected dim: 12", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<TrackStoreException>(error);
        Assert.IsNotType<TrackStoreUnavailableException>(error);
        Assert.Equal(1, server.Calls);
    }

    [Fact]
    public async Task A_5xx_answer_is_retried_and_then_reported_unavailable()
    {
        using var server = new ScriptedQdrant(ScriptedQdrant.Error(HttpStatusCode.ServiceUnavailable, "Service internal error: shard is recovering"));
        await using var collections = Open(server, retries: 3);

        var error = await Assert.ThrowsAsync<TrackStoreUnavailableException>(() => collections.ListAsync());

        Assert.Equal(4, server.Calls);
        Assert.Contains("shard is recovering", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_5xx_answer_followed_by_success_succeeds()
    {
        using var server = new ScriptedQdrant(
            ScriptedQdrant.Error(HttpStatusCode.BadGateway, "upstream"),
            ScriptedQdrant.Ok(NoCollections));
        await using var collections = Open(server);

        Assert.Empty(await collections.ListAsync());
        Assert.Equal(2, server.Calls);
    }

    [Fact]
    public async Task A_request_that_times_out_is_retried_and_then_reported_unavailable()
    {
        using var server = new ScriptedQdrant(ScriptedQdrant.Hang());
        await using var collections = Open(server, retries: 1, timeout: TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<TrackStoreUnavailableException>(() => collections.ListAsync());

        Assert.Equal(2, server.Calls);
        Assert.Contains("within the timeout", error.Message, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(350), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_broken_connection_is_retried_and_then_reported_unavailable()
    {
        using var server = new ScriptedQdrant(ScriptedQdrant.Refuse(), ScriptedQdrant.Refuse(), ScriptedQdrant.Ok(NoCollections));
        await using var collections = Open(server, retries: 2);
        Assert.Empty(await collections.ListAsync());
        Assert.Equal(3, server.Calls);

        using var down = new ScriptedQdrant(ScriptedQdrant.Refuse());
        await using var unreachable = Open(down, retries: 2);
        var error = await Assert.ThrowsAsync<TrackStoreUnavailableException>(() => unreachable.ListAsync());
        Assert.Contains("Connection refused", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, down.Calls);
    }

    [Fact]
    public async Task A_caller_cancellation_is_not_retried()
    {
        using var server = new ScriptedQdrant(ScriptedQdrant.Hang());
        await using var collections = Open(server);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => collections.ListAsync(cancel.Token));
        Assert.Equal(1, server.Calls);
    }

    [Fact]
    public async Task Every_request_carries_the_api_key()
    {
        using var server = new ScriptedQdrant(ScriptedQdrant.Error(HttpStatusCode.InternalServerError, "boom"), ScriptedQdrant.Ok(NoCollections));
        await using var collections = Open(server);
        await collections.ListAsync();

        Assert.All(server.Requests, request => Assert.Equal(["secret-key"], request.Headers.GetValues("api-key")));
    }

    [Fact]
    public async Task A_collection_not_made_by_this_store_is_refused_clearly()
    {
        using var server = new ScriptedQdrant(ScriptedQdrant.Ok("""
            {"status":"green","optimizer_status":"ok","segments_count":1,"payload_schema":{},
             "config":{"params":{"vectors":{"size":4,"distance":"Dot"}},"hnsw_config":{"m":16,"ef_construct":100,"full_scan_threshold":10000},
                       "optimizer_config":{"default_segment_number":0,"flush_interval_sec":5}}}
            """));
        await using var collections = Open(server);

        var error = await Assert.ThrowsAsync<TrackStoreException>(() => collections.OpenAsync("m1", 4));
        Assert.Contains("not made by this store", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://qdrant:6333")]
    [InlineData(null)]
    public void Options_without_an_http_url_are_refused(string? url) =>
        Assert.Throws<ArgumentException>(() => new QdrantTrackCollections(new QdrantStoreOptions { Url = url is null ? null : new Uri(url) }));

    [Fact]
    public void Options_out_of_range_are_refused()
    {
        var url = new Uri("http://qdrant:6333");
        Assert.Throws<ArgumentException>(() => new QdrantTrackCollections(new QdrantStoreOptions { Url = url, Namespace = "bad name" }));
        Assert.Throws<ArgumentException>(() => new QdrantTrackCollections(new QdrantStoreOptions { Url = url, Diversity = 1.5f }));
        Assert.Throws<ArgumentException>(() => new QdrantTrackCollections(new QdrantStoreOptions { Url = url, Oversampling = 0.5 }));
        Assert.Throws<ArgumentException>(() => new QdrantTrackCollections(new QdrantStoreOptions { Url = url, ActiveAlias = "tracks_live" }));
        Assert.Throws<ArgumentException>(() => new QdrantTrackCollections(new QdrantStoreOptions { Url = url, ReplicationFactor = 0 }));
    }
}

using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;
using MusicSearch.Core.Storage.Qdrant;

namespace MusicSearch.Core.Tests.Storage.Qdrant;

/// <summary>Answers written as the OpenAPI document shapes them, optional fields included, are read back correctly.</summary>
public sealed class QdrantAnswerTests
{
    private static readonly TrackId Id = new("isrc:GBAYE0601498");

    private static QdrantTrackCollections Open(ScriptedQdrant server) =>
        new(new QdrantStoreOptions { Url = new Uri("http://qdrant.test:6333"), MaxRetries = 0 }, server);

    private const string Collection = """
        {"status":"green","optimizer_status":"ok","segments_count":3,"points_count":10,"indexed_vectors_count":0,"warnings":[],
         "config":{"params":{"vectors":{"track":{"size":3,"distance":"Cosine"},"window":{"size":3,"distance":"Cosine"}},"shard_number":6,"replication_factor":2},
                   "hnsw_config":{"m":16,"ef_construct":100,"full_scan_threshold":10000},
                   "optimizer_config":{"default_segment_number":0,"flush_interval_sec":5},
                   "metadata":{"musicsearch_model_version":"m1","musicsearch_dimensions":3}},
         "payload_schema":{"kind":{"data_type":"keyword","points":10},"track_id":{"data_type":"keyword","points":10},"status":{"data_type":"keyword","points":10},
           "artist_key":{"data_type":"keyword","points":9},"album_key":{"data_type":"keyword","points":9},"genre_key":{"data_type":"keyword","points":9},
           "tag_keys":{"data_type":"keyword","points":9},"version":{"data_type":"integer","points":10},"year":{"data_type":"integer","points":9},
           "window_index":{"data_type":"integer","points":8},"bpm":{"data_type":"float","points":9},"title":{"data_type":"text","points":2},
           "artist":{"data_type":"text","points":2},"album":{"data_type":"text","points":2},"text":{"data_type":"text","points":2},
           "order_0":{"data_type":"integer","points":2},"order_1":{"data_type":"integer","points":2},"order_2":{"data_type":"integer","points":2}}}
        """;

    [Fact]
    public async Task A_point_with_every_documented_field_reads_back_as_its_track_state_and_vectors()
    {
        var id = Id.ToPointId();
        var window = WindowId(1);
        using var server = new ScriptedQdrant(
            ScriptedQdrant.Ok(Collection),
            ScriptedQdrant.Ok($$$"""
                [{"id":"{{{id}}}","shard_key":null,"order_value":null,
                  "payload":{"kind":"track","track_id":"{{{Id}}}","status":"pending","version":7,"title":"Sinnerman","artist":"Nina Simone","album":"Pastel Blues",
                             "genre":"jazz","year":1965,"bpm":142.5,"duration_s":622.0,"audio_uri":"file:///library/a.flac","tags":["piano","vocal"],
                             "attempts":0,"model_version":"m1","indexed_at":"2026-03-04T05:06:07.0000000+02:00","updated_at":"2026-11-22T01:02:03.0000000+00:00"},
                  "vector":{"track":[0.6,0.8,0.0]}}]
                """),
            ScriptedQdrant.Ok($$$"""
                {"points":[{"id":"{{{window}}}","payload":{"track_id":"{{{Id}}}","version":7,"window_index":1,"start_s":30.0,"window_duration_s":30.0},
                            "vector":{"window":[0.0,1.0,0.0]}},
                           {"id":"{{{WindowId(0)}}}","payload":{"track_id":"{{{Id}}}","version":7,"window_index":0,"start_s":0.0,"window_duration_s":30.0},
                            "vector":{"window":[1.0,0.0,0.0]}}],
                 "next_page_offset":null}
                """));
        await using var collections = Open(server);
        var store = await collections.OpenAsync("m1", 3);

        var record = await store.GetAsync(Id, withVectors: true);

        Assert.NotNull(record);
        Assert.Equal(Id, record.Track.Id);
        Assert.Equal(("Sinnerman", "Nina Simone", "Pastel Blues", "jazz"), (record.Track.Title, record.Track.Artist, record.Track.Album, record.Track.Genre));
        Assert.Equal((1965, 142.5, 622.0), (record.Track.Year!.Value, record.Track.Bpm!.Value, record.Track.DurationSeconds!.Value));
        Assert.Equal(["piano", "vocal"], record.Track.Tags);
        Assert.Equal(TrackStatus.Pending, record.State.Status);
        Assert.Equal(7, record.State.Version);
        Assert.Equal(new DateTimeOffset(2026, 3, 4, 3, 6, 7, TimeSpan.Zero), record.State.IndexedAt);
        Assert.Equal("m1", record.State.ModelVersion);
        Assert.Equal([0.6f, 0.8f, 0f], record.Vectors!.Vector);
        Assert.Equal([0.0, 30.0], record.Vectors.Windows.Select(w => w.StartSeconds));
        Assert.Equal([1f, 0f, 0f], record.Vectors.Windows[0].Vector);
        // Every order_N index the schema lists is known: no index is created again on the next write.
        Assert.DoesNotContain(server.Requests, r => r.RequestUri!.AbsolutePath.EndsWith("/index", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_tombstone_reads_as_no_track()
    {
        using var server = new ScriptedQdrant(
            ScriptedQdrant.Ok(Collection),
            ScriptedQdrant.Ok($$$"""[{"id":"{{{Id.ToPointId()}}}","payload":{"kind":"track","track_id":"{{{Id}}}","status":"removed","version":9},"vector":{}}]"""));
        await using var collections = Open(server);
        var store = await collections.OpenAsync("m1", 3);
        Assert.Null(await store.GetAsync(Id));
    }

    [Fact]
    public async Task Facet_hits_become_counts_by_status()
    {
        using var server = new ScriptedQdrant(
            ScriptedQdrant.Ok(Collection),
            ScriptedQdrant.Ok("""{"hits":[{"value":"indexed","count":12000000},{"value":"failed","count":31},{"value":"removed","count":4},{"value":"pending","count":7}]}"""));
        await using var collections = Open(server);
        var store = await collections.OpenAsync("m1", 3);
        Assert.Equal(new StatusCounts(7, 12_000_000, 31), await store.CountAsync());
    }

    private static Guid WindowId(int index) => WindowPointId.For(Id, index);
}

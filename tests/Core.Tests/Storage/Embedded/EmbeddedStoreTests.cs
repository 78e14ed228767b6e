using Microsoft.Data.Sqlite;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;
using MusicSearch.Core.Storage.Embedded;
using MusicSearch.Core.Tests.Storage.Contract;
using MusicSearch.Testing;

namespace MusicSearch.Core.Tests.Storage.Embedded;

/// <summary>Behaviour of the embedded store beyond the contract: atomic visibility, compaction, files on disk.</summary>
public sealed class EmbeddedStoreTests : IAsyncLifetime, IDisposable
{
    private const int Dimensions = 8;
    private readonly TemporaryDirectory _directory = new();
    private EmbeddedTrackCollections _collections = null!;

    public Task InitializeAsync()
    {
        _collections = Open();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _collections.DisposeAsync();

    // xunit calls this after DisposeAsync, once the files are closed.
    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Concurrent_searches_see_every_change_of_a_batch_or_none()
    {
        var store = await _collections.OpenAsync("m", Dimensions);
        var query = TestTracks.UnitVector(new Random(2), Dimensions);
        var reads = await RollingWrites.ReadWhileWritingAsync(store, Dimensions, async () =>
        {
            var tracks = await store.SearchAsync(SimilarityQuery.ForVector(query, SimilarityQuery.MaxLimit));
            Assert.All(tracks.GroupBy(t => t.Track.Tags[0]), group => Assert.Equal(10, group.Count()));
            var windows = await store.SearchWindowsAsync(new WindowQuery(query) { Limit = SimilarityQuery.MaxLimit, MaxPerTrack = 2 });
            Assert.All(windows.GroupBy(w => w.Track.Tags[0]), group => Assert.Equal(20, group.Count()));
        });
        Assert.True(reads > 10, $"only {reads} reads overlapped the writes");
        Assert.Equal(20, (await store.SearchAsync(SimilarityQuery.ForVector(query, SimilarityQuery.MaxLimit))).Count);
    }

    [Fact]
    public async Task Searches_stay_exact_while_replaced_vectors_are_compacted_away()
    {
        await _collections.DisposeAsync();
        _collections = Open(compactionMinimum: 4);
        var store = await _collections.OpenAsync("m", Dimensions);
        var random = new Random(3);
        var current = new Dictionary<TrackId, TrackPoint>();
        for (var round = 1; round <= 6; round++)
        {
            var points = Enumerable.Range(0, 30)
                .Where(i => (i + round) % 5 != 0)
                .Select(i => TestTracks.Point(TestTracks.RandomTrack(random, $"t{i:D2}"), TestTracks.Vectors(random, Dimensions, windows: 1 + (i % 3)), round))
                .ToList();
            await store.UpsertAsync(points);
            var removed = Enumerable.Range(0, 30).Where(i => (i + round) % 7 == 0).Select(i => new TrackId($"t{i:D2}")).ToList();
            await store.RemoveAsync([.. removed.Select(id => new TrackRemoval(id, round))]);
            foreach (var point in points)
            {
                current[point.Track.Id] = point;
            }
            removed.ForEach(id => current.Remove(id));

            var query = TestTracks.UnitVector(random, Dimensions);
            TestTracks.SameRanking(TestTracks.Ranking(current.Values, query), await store.SearchAsync(SimilarityQuery.ForVector(query, SimilarityQuery.MaxLimit)));
            var quantized = await store.SearchAsync(SimilarityQuery.ForVector(query, 5) with { Precision = SearchPrecision.Quantized });
            Assert.Equal(5, quantized.Count);
            var windowCount = current.Values.Sum(p => p.Vectors.Windows.Count);
            var windows = await store.SearchWindowsAsync(new WindowQuery(query) { Limit = SimilarityQuery.MaxLimit, MaxPerTrack = 3 });
            Assert.Equal(windowCount, windows.Count);
            Assert.All(windows, w => Assert.Equal(
                TestTracks.Cosine(current[w.Track.Id].Vectors.Windows[w.WindowIndex].Vector, query), w.Score, 1e-5));
        }
    }

    [Fact]
    public async Task Text_search_ignores_accents_both_ways()
    {
        var store = await _collections.OpenAsync("m", Dimensions);
        var random = new Random(1);
        await store.UpsertAsync(
        [
            TestTracks.Point(TestTracks.Track("joga", "Björk", "Homogenic", "Jóga"), TestTracks.Vectors(random, Dimensions)),
            TestTracks.Point(TestTracks.Track("plain", "Bjork Tribute", null, "Joga cover"), TestTracks.Vectors(random, Dimensions)),
        ]);
        Assert.Equal(["joga", "plain"], (await store.SearchTextAsync(new TextQuery("jóga"))).Select(m => m.Record.Track.Id.Value).Order(StringComparer.Ordinal));
        Assert.Equal(["joga", "plain"], (await store.SearchTextAsync(new TextQuery("BJORK"))).Select(m => m.Record.Track.Id.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Each_collection_is_one_file_and_dropping_deletes_it()
    {
        var store = await _collections.OpenAsync("model/1", Dimensions);
        await store.UpsertAsync([TestTracks.Point(TestTracks.Track("a"), TestTracks.Vectors(new Random(1), Dimensions))]);
        await _collections.OpenAsync("other", Dimensions);
        await _collections.ActivateAsync("other");
        Assert.True(File.Exists(_directory.File("catalog.db")));
        Assert.True(File.Exists(_directory.File("tracks_model_1.db")));

        await _collections.DropAsync("model/1");
        Assert.Empty(Directory.GetFiles(_directory.Path, "tracks_model_1.db*"));
        Assert.True(File.Exists(_directory.File("tracks_other.db")));
    }

    [Fact]
    public async Task A_leftover_file_of_an_interrupted_create_or_drop_is_never_taken_for_a_collection()
    {
        await _collections.DisposeAsync();
        using (var leftover = new SqliteConnection($"Data Source={_directory.File("tracks_m.db")};Pooling=False"))
        {
            leftover.Open();
            using var command = leftover.CreateCommand();
            command.CommandText = "CREATE TABLE junk (x); INSERT INTO junk VALUES (1);";
            command.ExecuteNonQuery();
        }
        _collections = Open();
        Assert.Empty(await _collections.ListAsync());
        var store = await _collections.OpenAsync("m", Dimensions);
        Assert.Equal(new StatusCounts(0, 0, 0), await store.CountAsync());
        await store.UpsertAsync([TestTracks.Point(TestTracks.Track("a"), TestTracks.Vectors(new Random(1), Dimensions))]);
        Assert.Equal(new StatusCounts(0, 1, 0), await store.CountAsync());
    }

    [Fact]
    public async Task A_file_written_by_a_newer_schema_is_refused()
    {
        await _collections.OpenAsync("m", Dimensions);
        await _collections.DisposeAsync();
        using (var connection = new SqliteConnection($"Data Source={_directory.File("tracks_m.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99";
            command.ExecuteNonQuery();
        }
        _collections = Open();
        var error = await Assert.ThrowsAsync<TrackStoreException>(() => _collections.OpenAsync("m", Dimensions));
        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_catalog_that_is_not_a_database_is_refused_as_a_permanent_error()
    {
        await _collections.DisposeAsync();
        await File.WriteAllTextAsync(_directory.File("catalog.db"), "this is not an SQLite file, and it is long enough to have a header");
        var error = Assert.ThrowsAny<TrackStoreException>(() => Open());
        Assert.IsNotType<TrackStoreUnavailableException>(error);
        File.Delete(_directory.File("catalog.db"));
        _collections = Open();
    }

    [Fact]
    public async Task A_store_of_disposed_collections_refuses_every_call()
    {
        var store = await _collections.OpenAsync("m", Dimensions);
        await _collections.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.CountAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.SearchAsync(SimilarityQuery.ForVector(new float[Dimensions])));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.RemoveAsync([new TrackRemoval(new TrackId("a"), 1)]));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => _collections.ListAsync());
        _collections = Open();
    }

    private EmbeddedTrackCollections Open(int compactionMinimum = 4096) =>
        new(new EmbeddedStoreOptions { Directory = _directory.Path, SearchThreads = 2, CompactionMinimum = compactionMinimum });
}

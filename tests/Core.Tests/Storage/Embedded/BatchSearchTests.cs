using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;
using MusicSearch.Core.Storage.Embedded;
using MusicSearch.Core.Tests.Storage.Contract;
using MusicSearch.Testing;

namespace MusicSearch.Core.Tests.Storage.Embedded;

/// <summary>
/// The embedded store's batched similarity search against its single search: identical tracks and bit-identical scores
/// for every query of random batches, including the queries that the shared scan cannot answer alone.
/// </summary>
public sealed class BatchSearchTests : IAsyncLifetime, IDisposable
{
    private const int Dimensions = 16;
    private readonly TemporaryDirectory _directory = new();
    private EmbeddedTrackCollections _collections = null!;

    public Task InitializeAsync()
    {
        _collections = new EmbeddedTrackCollections(new EmbeddedStoreOptions { Directory = _directory.Path, SearchThreads = 2 });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _collections.DisposeAsync();

    // xunit calls this after DisposeAsync, once the files are closed.
    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Random_batches_equal_one_search_per_query(int seed)
    {
        var random = new Random(seed);
        var store = await _collections.OpenAsync("m", Dimensions);
        var points = Enumerable.Range(0, 600).Select(i => TestTracks.Point(
            i % 2 == 0 ? TestTracks.RandomTrack(random, $"t{i:D3}") : TestTracks.RandomTrack(random, $"t{i:D3}") with { Artist = $"Artist {i % 70}" },
            TestTracks.Vectors(random, Dimensions, windows: 0))).ToList();
        await store.UpsertAsync(points);
        // Removed and replaced tracks leave dead rows that every scan must skip.
        await store.RemoveAsync([.. points.Take(40).Select(p => new TrackRemoval(p.Track.Id, 2))]);
        await store.UpsertAsync([.. points.Skip(40).Take(40).Select(p => p with { Vectors = TestTracks.Vectors(random, Dimensions, windows: 0), Version = 2 })]);
        var live = points.Skip(40).Select(p => p.Track.Id).ToList();

        for (var round = 0; round < 3; round++)
        {
            var queries = Enumerable.Range(0, 150).Select(_ => RandomQuery(random, live)).ToArray();
            await AssertSameAsSingleAsync(store, queries);
        }
    }

    [Fact]
    public async Task A_per_artist_limit_that_thins_out_the_shared_top_k_widens_like_a_single_search()
    {
        var store = await _collections.OpenAsync("m", Dimensions);
        var random = new Random(4);
        // 400 tracks by two artists and 40 by one artist each: at most one per artist, the 4 × 20 + 1 best candidates
        // hold about nine usable tracks, so twenty results need the widening search.
        var points = Enumerable.Range(0, 440).Select(i => TestTracks.Point(
            TestTracks.Track($"t{i:D3}", i < 400 ? $"Prolific {i % 2}" : $"Solo {i}"), TestTracks.Vectors(random, Dimensions, windows: 0))).ToList();
        await store.UpsertAsync(points);
        var queries = points.Take(30).Select(p => SimilarityQuery.ForTrack(p.Track.Id, 20) with { MaxPerArtist = 1 }).ToArray();

        var batch = await AssertSameAsSingleAsync(store, queries);

        Assert.All(batch, results => Assert.Equal(20, results.Count));
    }

    [Fact]
    public async Task An_empty_collection_answers_a_batch_with_empty_results()
    {
        var store = await _collections.OpenAsync("m", Dimensions);
        var vector = TestTracks.UnitVector(new Random(1), Dimensions);
        var batch = await store.SearchBatchAsync([SimilarityQuery.ForVector(vector), SimilarityQuery.ForVector(vector) with { Precision = SearchPrecision.Quantized }]);
        Assert.Equal(2, batch.Count);
        Assert.All(batch, Assert.Empty);
    }

    [Fact]
    public async Task A_bad_query_anywhere_in_the_batch_fails_it_before_any_search()
    {
        var (store, points) = (await _collections.OpenAsync("m", Dimensions), Enumerable.Range(0, 5).Select(i =>
            TestTracks.Point(TestTracks.Track($"t{i}"), TestTracks.Vectors(new Random(i), Dimensions, windows: 0))).ToList());
        await store.UpsertAsync(points);
        var good = SimilarityQuery.ForTrack(points[0].Track.Id);
        await Assert.ThrowsAsync<ArgumentNullException>(() => store.SearchBatchAsync([good, null!]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.SearchBatchAsync([good, SimilarityQuery.ForVector(new float[Dimensions - 1])]));
        await store.RemoveAsync([new TrackRemoval(points[1].Track.Id, 2)]);
        var error = await Assert.ThrowsAsync<UnknownTrackException>(() => store.SearchBatchAsync([good, good with { Negative = [QueryExample.OfTrack(points[1].Track.Id)] }]));
        Assert.Equal(points[1].Track.Id, error.TrackId);
    }

    [Fact]
    public async Task A_batch_reads_one_state_of_the_collection_while_writes_go_on()
    {
        var store = await _collections.OpenAsync("m", Dimensions);
        var random = new Random(5);
        var queries = Enumerable.Range(0, 8).Select(_ => SimilarityQuery.ForVector(TestTracks.UnitVector(random, Dimensions), SimilarityQuery.MaxLimit)).ToArray();
        var reads = await RollingWrites.ReadWhileWritingAsync(store, Dimensions, async () =>
        {
            var batch = await store.SearchBatchAsync(queries);
            var seen = batch[0].Select(r => r.Track.Id).Order().ToList();
            Assert.All(batch, results => Assert.Equal(seen, results.Select(r => r.Track.Id).Order()));
            Assert.All(batch[0].GroupBy(r => r.Track.Tags[0]), group => Assert.Equal(10, group.Count()));
        });
        Assert.True(reads > 10, $"only {reads} batches overlapped the writes");
    }

    private static async Task<IReadOnlyList<IReadOnlyList<SimilarTrack>>> AssertSameAsSingleAsync(ITrackStore store, SimilarityQuery[] queries)
    {
        var batch = await store.SearchBatchAsync(queries);
        Assert.Equal(queries.Length, batch.Count);
        for (var q = 0; q < queries.Length; q++)
        {
            var single = await store.SearchAsync(queries[q]);
            Assert.Equal(single.Select(r => (r.Track.Id, r.Score)), batch[q].Select(r => (r.Track.Id, r.Score)));
        }
        return batch;
    }

    private static SimilarityQuery RandomQuery(Random random, List<TrackId> live)
    {
        TrackId Track() => live[random.Next(live.Count)];
        float[] Vector() => TestTracks.UnitVector(random, Dimensions);
        // Fresh filter instances every time: equal filters must still share a scan, different ones must not.
        TrackFilter[] filters =
        [
            TrackFilter.None,
            new() { YearFrom = 1980, YearTo = 2005 },
            new() { Genres = ["jazz"] },
            new() { ExcludeArtists = ["Nina Simone", "Artist 3"], Tags = ["calm", "piano"] },
            new() { ExcludeTracks = [Track(), Track()] },
        ];
        var positive = random.Next(10) switch
        {
            < 7 => [QueryExample.OfTrack(Track())],
            7 => [QueryExample.OfVector(Vector())],
            _ => new[] { QueryExample.OfTrack(Track()), QueryExample.OfVector(Vector()) },
        };
        return new SimilarityQuery
        {
            Positive = positive,
            Negative = random.Next(6) == 0 ? [QueryExample.OfTrack(Track())] : [],
            Limit = 1 + random.Next(30),
            Offset = random.Next(3) == 0 ? random.Next(20) : random.Next(50) == 0 ? 5000 : 0,
            Filter = filters[random.Next(filters.Length)],
            ExcludeSeedArtists = random.Next(3) == 0,
            ExcludeSeedAlbums = random.Next(4) == 0,
            MaxPerArtist = random.Next(3) == 0 ? 1 + random.Next(3) : null,
            MinScore = random.Next(4) == 0 ? (float)(random.NextDouble() * 0.6) - 0.1f : null,
            Precision = random.Next(6) == 0 ? SearchPrecision.Quantized : SearchPrecision.Exact,
        };
    }
}

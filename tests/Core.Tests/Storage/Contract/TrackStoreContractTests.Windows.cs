using MusicSearch.Core.Storage;

namespace MusicSearch.Core.Tests.Storage.Contract;

public abstract partial class TrackStoreContractTests
{
    [ContractFact]
    public async Task A_window_search_finds_the_window_its_track_and_its_span()
    {
        var (store, points) = await FilledAsync(50, windows: 4);
        foreach (var (track, window) in new[] { (7, 2), (31, 0), (49, 3) })
        {
            var target = points[track].Vectors.Windows[window];
            var match = (await store.SearchWindowsAsync(new WindowQuery(target.Vector) { Limit = 3 }))[0];
            Assert.Equal(points[track].Track.Id, match.Track.Id);
            Assert.Equal(window, match.WindowIndex);
            Assert.Equal(target.StartSeconds, match.StartSeconds);
            Assert.Equal(target.DurationSeconds, match.DurationSeconds);
            Assert.Equal(1f, match.Score, 1e-5f);
        }
    }

    [ContractFact]
    public async Task Window_results_rank_like_a_brute_force_with_at_most_n_windows_per_track()
    {
        var (store, points) = await FilledAsync(40, seed: 4, windows: 5);
        var query = TestTracks.UnitVector(new Random(3), Dimensions);
        var all = points
            .SelectMany(p => p.Vectors.Windows.Select((w, i) => (p.Track.Id, Index: i, Score: TestTracks.Cosine(w.Vector, query))))
            .OrderByDescending(w => w.Score)
            .ToList();
        foreach (var maxPerTrack in new[] { 1, 2, 5 })
        {
            var expected = all.GroupBy(w => w.Id).SelectMany(g => g.Take(maxPerTrack)).OrderByDescending(w => w.Score).Take(25).ToList();
            var results = await store.SearchWindowsAsync(new WindowQuery(query) { Limit = 25, MaxPerTrack = maxPerTrack });
            Assert.Equal(expected.Select(w => (w.Id, w.Index)), results.Select(r => (r.Track.Id, r.WindowIndex)));
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i].Score, results[i].Score, 1e-5);
            }
        }

        var cut = (float)all[5].Score;
        var above = await store.SearchWindowsAsync(new WindowQuery(query) { Limit = 100, MaxPerTrack = 5, MinScore = cut - 1e-6f });
        Assert.Equal(6, above.Count);
    }

    [ContractFact]
    public async Task Replaced_and_removed_vectors_leave_the_window_index()
    {
        var (store, points) = await FilledAsync(10, windows: 3);
        var old = points[2];
        var replacement = TestTracks.Point(old.Track, TestTracks.Vectors(new Random(77), Dimensions, windows: 1), version: 2);
        await store.UpsertAsync([replacement]);
        await store.RemoveAsync([new TrackRemoval(points[3].Track.Id, 2)]);

        var stale = (await store.SearchWindowsAsync(new WindowQuery(old.Vectors.Windows[1].Vector) { Limit = 100, MaxPerTrack = 10 }))
            .Where(m => m.Track.Id == old.Track.Id).ToList();
        Assert.Equal(0, Assert.Single(stale).WindowIndex);
        Assert.DoesNotContain(await store.SearchWindowsAsync(new WindowQuery(points[3].Vectors.Windows[0].Vector) { Limit = 100, MaxPerTrack = 10 }),
            m => m.Track.Id == points[3].Track.Id);
        var fresh = (await store.SearchWindowsAsync(new WindowQuery(replacement.Vectors.Windows[0].Vector)))[0];
        Assert.Equal((old.Track.Id, 0), (fresh.Track.Id, fresh.WindowIndex));
    }

    [ContractTheory]
    [InlineData("wrong dimensions")]
    [InlineData("limit 0")]
    [InlineData("max per track 0")]
    [InlineData("zero vector")]
    public async Task Invalid_window_queries_are_argument_errors(string problem)
    {
        var (store, _) = await FilledAsync(3);
        var vector = TestTracks.UnitVector(new Random(1), Dimensions);
        var query = problem switch
        {
            "wrong dimensions" => new WindowQuery(new float[Dimensions - 1]),
            "limit 0" => new WindowQuery(vector) { Limit = 0 },
            "max per track 0" => new WindowQuery(vector) { MaxPerTrack = 0 },
            _ => new WindowQuery(new float[Dimensions]),
        };
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.SearchWindowsAsync(query));
    }
}

using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;

namespace MusicSearch.Core.Tests.Storage.Contract;

public abstract partial class TrackStoreContractTests
{
    [ContractFact]
    public async Task A_batch_answers_every_query_as_a_single_search_does()
    {
        var (store, points) = await FilledAsync(150, seed: 7);
        var random = new Random(13);
        var id = (int i) => points[i].Track.Id;
        SimilarityQuery[] queries =
        [
            SimilarityQuery.ForTrack(id(0)),
            SimilarityQuery.ForTrack(id(1), 25) with { MaxPerArtist = 1, ExcludeSeedArtists = true },
            SimilarityQuery.ForTrack(id(2), 7) with { Offset = 5, Filter = new TrackFilter { YearFrom = 1980 } },
            SimilarityQuery.ForVector(TestTracks.UnitVector(random, Dimensions), 12) with { MinScore = 0.1f },
            SimilarityQuery.ForTrack(id(3)) with { ExcludeSeedAlbums = true, Filter = new TrackFilter { Genres = ["jazz", "trip-hop"] } },
            SimilarityQuery.ForTrack(id(4)) with { Precision = SearchPrecision.Quantized, MaxPerArtist = 2 },
            new SimilarityQuery { Positive = [QueryExample.OfTrack(id(5)), QueryExample.OfTrack(id(6))], Negative = [QueryExample.OfTrack(id(7))], Limit = 15 },
            SimilarityQuery.ForTrack(id(0)) with { Limit = SimilarityQuery.MaxLimit },
        ];

        var batch = await store.SearchBatchAsync(queries);

        Assert.Equal(queries.Length, batch.Count);
        for (var q = 0; q < queries.Length; q++)
        {
            var single = await store.SearchAsync(queries[q]);
            Assert.NotEmpty(single);
            Assert.Equal(single.Select(r => r.Track.Id), batch[q].Select(r => r.Track.Id));
            Assert.Equal(single.Select(r => r.Score), batch[q].Select(r => r.Score), (a, b) => Math.Abs(a - b) <= 1e-6f);
        }
    }

    [ContractFact]
    public async Task An_empty_batch_has_no_results()
    {
        var (store, _) = await FilledAsync(3);
        Assert.Empty(await store.SearchBatchAsync([]));
    }

    [ContractFact]
    public async Task One_unknown_seed_fails_the_whole_batch()
    {
        var (store, points) = await FilledAsync(10);
        var unknown = new TrackId("never-seen");
        var error = await Assert.ThrowsAsync<UnknownTrackException>(() => store.SearchBatchAsync(
            [SimilarityQuery.ForTrack(points[0].Track.Id), SimilarityQuery.ForTrack(unknown), SimilarityQuery.ForTrack(points[1].Track.Id)]));
        Assert.Equal(unknown, error.TrackId);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.SearchBatchAsync([SimilarityQuery.ForTrack(points[0].Track.Id, 0)]));
    }
}

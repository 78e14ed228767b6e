using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;

namespace MusicSearch.Core.Tests.Storage.Contract;

public abstract partial class TrackStoreContractTests
{
    [ContractFact]
    public async Task A_vector_search_ranks_exactly_like_a_brute_force()
    {
        var (store, points) = await FilledAsync(120);
        var random = new Random(11);
        for (var q = 0; q < 5; q++)
        {
            var query = TestTracks.UnitVector(random, Dimensions);
            TestTracks.SameRanking(TestTracks.Ranking(points, query).Take(15).ToList(), await SearchAsync(store, query, 15));
        }
        Assert.Equal(120, (await SearchAsync(store, TestTracks.UnitVector(random, Dimensions), SimilarityQuery.MaxLimit)).Count);
    }

    [ContractFact]
    public async Task A_query_vector_need_not_be_normalised()
    {
        var (store, points) = await FilledAsync(40);
        var query = TestTracks.UnitVector(new Random(4), Dimensions);
        var scaled = query.Select(x => x * 37f).ToArray();
        TestTracks.SameRanking(TestTracks.Ranking(points, query).Take(10).ToList(), await SearchAsync(store, scaled));
    }

    [ContractFact]
    public async Task A_search_by_track_never_returns_the_seed()
    {
        var (store, points) = await FilledAsync(60);
        var seed = points[17];
        var results = await store.SearchAsync(SimilarityQuery.ForTrack(seed.Track.Id, 10));
        var expected = TestTracks.Ranking(points, seed.Vectors.Vector, t => t.Id != seed.Track.Id).Take(10).ToList();
        TestTracks.SameRanking(expected, results);
    }

    [ContractFact]
    public async Task Positive_and_negative_examples_combine_as_QueryVector_says()
    {
        var (store, points) = await FilledAsync(80);
        var raw = TestTracks.UnitVector(new Random(8), Dimensions);
        var query = new SimilarityQuery
        {
            Positive = [QueryExample.OfTrack(points[3].Track.Id), QueryExample.OfVector(raw)],
            Negative = [QueryExample.OfTrack(points[4].Track.Id), QueryExample.OfTrack(points[5].Track.Id)],
            Limit = 12,
        };
        var combined = QueryVector.Combine([points[3].Vectors.Vector, raw], [points[4].Vectors.Vector, points[5].Vectors.Vector]);
        var seeds = new[] { points[3].Track.Id, points[4].Track.Id, points[5].Track.Id };
        TestTracks.SameRanking(TestTracks.Ranking(points, combined, t => !seeds.Contains(t.Id)).Take(12).ToList(), await store.SearchAsync(query));
    }

    [ContractFact]
    public async Task The_minimum_score_is_an_inclusive_cut()
    {
        var (store, points) = await FilledAsync(100);
        var query = TestTracks.UnitVector(new Random(6), Dimensions);
        var ranking = TestTracks.Ranking(points, query);
        var cut = (float)ranking[9].Score;
        var results = await store.SearchAsync(SimilarityQuery.ForVector(query, 50) with { MinScore = cut - 1e-6f });
        TestTracks.SameRanking(ranking.Take(10).ToList(), results);
        Assert.Empty(await store.SearchAsync(SimilarityQuery.ForVector(query, 50) with { MinScore = 1.01f }));
    }

    [ContractFact]
    public async Task Offset_pages_continue_the_same_ranking()
    {
        var (store, points) = await FilledAsync(90);
        var query = TestTracks.UnitVector(new Random(2), Dimensions);
        var whole = await store.SearchAsync(SimilarityQuery.ForVector(query, 30) with { MaxPerArtist = 3 });
        var paged = new List<SimilarTrack>();
        for (var offset = 0; offset < 30; offset += 7)
        {
            paged.AddRange(await store.SearchAsync(SimilarityQuery.ForVector(query, Math.Min(7, 30 - offset)) with { Offset = offset, MaxPerArtist = 3 }));
        }
        Assert.Equal(whole.Select(r => r.Track.Id), paged.Select(r => r.Track.Id));
        Assert.Empty(await store.SearchAsync(SimilarityQuery.ForVector(query, 10) with { Offset = 90 }));
    }

    [ContractTheory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task At_most_n_results_per_artist_ignoring_case_and_leaving_unknown_artists_unlimited(int maxPerArtist)
    {
        var (store, points) = await FilledAsync(150, seed: 3);
        var query = TestTracks.UnitVector(new Random(12), Dimensions);
        var expected = new List<(Track Track, double Score)>();
        var perArtist = new Dictionary<string, int>();
        foreach (var entry in TestTracks.Ranking(points, query))
        {
            if (entry.Track.Artist is { } artist)
            {
                var key = artist.ToLowerInvariant();
                if (perArtist.GetValueOrDefault(key) == maxPerArtist)
                {
                    continue;
                }
                perArtist[key] = perArtist.GetValueOrDefault(key) + 1;
            }
            expected.Add(entry);
        }
        var results = await store.SearchAsync(SimilarityQuery.ForVector(query, 40) with { MaxPerArtist = maxPerArtist });
        TestTracks.SameRanking(expected.Take(40).ToList(), results);
        Assert.Contains(results, r => r.Track.Artist is null);
    }

    [ContractFact]
    public async Task Seed_artists_and_albums_can_be_left_out()
    {
        var store = await OpenAsync();
        var random = new Random(9);
        var seed = TestTracks.Point(TestTracks.Track("seed", "Björk", "Homogenic"), TestTracks.Vectors(random, Dimensions));
        var others = new[]
        {
            TestTracks.Point(TestTracks.Track("same-artist", "BJÖRK", "Post"), TestTracks.Vectors(random, Dimensions)),
            TestTracks.Point(TestTracks.Track("same-album", "Various", "homogenic"), TestTracks.Vectors(random, Dimensions)),
            TestTracks.Point(TestTracks.Track("other", "Portishead", "Dummy"), TestTracks.Vectors(random, Dimensions)),
            TestTracks.Point(TestTracks.Track("unknown", null, null), TestTracks.Vectors(random, Dimensions)),
        };
        await store.UpsertAsync([seed, .. others]);

        async Task<string[]> Ids(bool artists, bool albums) =>
            [.. (await store.SearchAsync(SimilarityQuery.ForTrack(seed.Track.Id) with { ExcludeSeedArtists = artists, ExcludeSeedAlbums = albums }))
                .Select(r => r.Track.Id.Value).Order(StringComparer.Ordinal)];

        Assert.Equal(["other", "same-album", "same-artist", "unknown"], await Ids(false, false));
        Assert.Equal(["other", "same-album", "unknown"], await Ids(true, false));
        Assert.Equal(["other", "same-artist", "unknown"], await Ids(false, true));
        Assert.Equal(["other", "unknown"], await Ids(true, true));
    }

    [ContractFact]
    public async Task Negative_seed_tracks_are_not_returned_and_their_artists_stay()
    {
        var (store, points) = await FilledAsync(30);
        var query = new SimilarityQuery
        {
            Positive = [QueryExample.OfVector(points[0].Vectors.Vector)],
            Negative = [QueryExample.OfTrack(points[1].Track.Id)],
            Limit = 30,
            ExcludeSeedArtists = true,
        };
        var results = await store.SearchAsync(query);
        Assert.Equal(29, results.Count);
        Assert.DoesNotContain(results, r => r.Track.Id == points[1].Track.Id);
    }

    [ContractFact]
    public async Task Seeds_without_vectors_are_unknown_tracks()
    {
        var (store, points) = await FilledAsync(5);
        await store.MarkFailedAsync([new TrackFailure(points[0].Track, 2, "corrupt", "bad")]);
        await store.MarkPendingAsync([new PendingTrack(TestTracks.Track("waiting"), 1)]);
        await store.RemoveAsync([new TrackRemoval(points[1].Track.Id, 2)]);

        foreach (var id in new[] { new TrackId("never-seen"), points[0].Track.Id, new TrackId("waiting"), points[1].Track.Id })
        {
            var error = await Assert.ThrowsAsync<UnknownTrackException>(() => store.SearchAsync(SimilarityQuery.ForTrack(id)));
            Assert.Equal(id, error.TrackId);
            await Assert.ThrowsAsync<UnknownTrackException>(() => store.SearchAsync(new SimilarityQuery
            {
                Positive = [QueryExample.OfTrack(points[2].Track.Id)],
                Negative = [QueryExample.OfTrack(id)],
            }));
        }
    }

    public static TheoryData<string> InvalidQueries => new()
    {
        "no positive", "wrong dimensions", "NaN", "zero vector", "limit 0", "limit too large", "negative offset", "max per artist 0",
        "empty year range", "infinite bpm", "opposite positives",
    };

    [ContractTheory]
    [MemberData(nameof(InvalidQueries))]
    public async Task Invalid_similarity_queries_are_argument_errors(string problem)
    {
        var (store, points) = await FilledAsync(3);
        var vector = points[0].Vectors.Vector;
        var query = problem switch
        {
            "no positive" => new SimilarityQuery { Negative = [QueryExample.OfVector(vector)] },
            "wrong dimensions" => SimilarityQuery.ForVector(new float[Dimensions + 1]),
            "NaN" => SimilarityQuery.ForVector([float.NaN, .. vector[1..]]),
            "zero vector" => SimilarityQuery.ForVector(new float[Dimensions]),
            "limit 0" => SimilarityQuery.ForVector(vector, 0),
            "limit too large" => SimilarityQuery.ForVector(vector, SimilarityQuery.MaxLimit + 1),
            "negative offset" => SimilarityQuery.ForVector(vector) with { Offset = -1 },
            "max per artist 0" => SimilarityQuery.ForVector(vector) with { MaxPerArtist = 0 },
            "empty year range" => SimilarityQuery.ForVector(vector) with { Filter = new TrackFilter { YearFrom = 2000, YearTo = 1990 } },
            "infinite bpm" => SimilarityQuery.ForVector(vector) with { Filter = new TrackFilter { BpmTo = double.PositiveInfinity } },
            _ => new SimilarityQuery { Positive = [QueryExample.OfVector(vector), QueryExample.OfVector([.. vector.Select(x => -x)])] },
        };
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.SearchAsync(query));
    }

    [ContractFact]
    public async Task An_empty_collection_finds_nothing()
    {
        var store = await OpenAsync();
        var vector = TestTracks.UnitVector(new Random(1), Dimensions);
        Assert.Empty(await SearchAsync(store, vector));
        Assert.Empty(await store.SearchAsync(SimilarityQuery.ForVector(vector) with { Precision = SearchPrecision.Quantized }));
        Assert.Empty(await store.SearchWindowsAsync(new WindowQuery(vector)));
        Assert.Empty(await store.SearchTextAsync(new TextQuery("anything")));
    }

    [ContractFact]
    public async Task Quantized_search_recalls_at_least_99_percent_of_the_exact_top_10()
    {
        var store = await Collections.OpenAsync("quantized", 64);
        var random = new Random(21);
        var points = Enumerable.Range(0, 400)
            .Select(i => TestTracks.Point(TestTracks.Track($"q{i:D3}", $"artist {i}"), TestTracks.Vectors(random, 64, windows: 0)))
            .ToList();
        await store.UpsertAsync(points);

        var found = 0;
        for (var q = 0; q < 30; q++)
        {
            var query = TestTracks.UnitVector(random, 64);
            var exact = await store.SearchAsync(SimilarityQuery.ForVector(query));
            var quantized = await store.SearchAsync(SimilarityQuery.ForVector(query) with { Precision = SearchPrecision.Quantized });
            Assert.Equal(10, quantized.Count);
            found += quantized.Count(r => exact.Any(e => e.Track.Id == r.Track.Id));
            foreach (var result in quantized)
            {
                // Rescored in fp32: the scores are the exact cosines.
                Assert.Equal(TestTracks.Cosine(points.Single(p => p.Track.Id == result.Track.Id).Vectors.Vector, query), result.Score, 1e-5);
            }
        }
        Assert.True(found >= 0.99 * 300, $"recall@10 = {found / 300.0:F3}");
    }

    [ContractFact]
    public async Task Quantized_search_returns_the_exact_results_on_clustered_data_with_filters()
    {
        var store = await Collections.OpenAsync("clustered", 32);
        var random = new Random(5);
        var centres = Enumerable.Range(0, 12).Select(_ => TestTracks.UnitVector(random, 32)).ToList();
        var points = Enumerable.Range(0, 360).Select(i =>
        {
            var noise = TestTracks.UnitVector(random, 32);
            var vector = TestTracks.Normalised([.. centres[i % 12].Zip(noise, (c, n) => c + (0.35f * n))]);
            return new TrackPoint(TestTracks.RandomTrack(random, $"c{i:D3}"), new TrackVectors(vector, []), 1);
        }).ToList();
        await store.UpsertAsync(points);

        foreach (var (centre, i) in centres.Select((c, i) => (c, i)))
        {
            var query = SimilarityQuery.ForVector(centre, 10) with
            {
                MaxPerArtist = i % 2 == 0 ? 3 : null,
                Filter = i % 3 == 0 ? new TrackFilter { YearFrom = 1980 } : TrackFilter.None,
            };
            var exact = await store.SearchAsync(query);
            var quantized = await store.SearchAsync(query with { Precision = SearchPrecision.Quantized });
            Assert.Equal(exact.Select(r => r.Track.Id), quantized.Select(r => r.Track.Id));
        }
    }
}

using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;

namespace MusicSearch.Core.Tests.Storage.Contract;

public abstract partial class TrackStoreContractTests
{
    public static TheoryData<string> FilterCases => new(NamedFilters.Keys);

    private static readonly Dictionary<string, TrackFilter> NamedFilters = new()
    {
        ["artist"] = new() { Artists = ["Nina Simone"] },
        ["artist in other case"] = new() { Artists = ["MILES davis"] },
        ["two artists"] = new() { Artists = ["björk", "Portishead"] },
        ["album"] = new() { Albums = ["kind of blue"] },
        ["genre"] = new() { Genres = ["Jazz"] },
        ["tag"] = new() { Tags = ["ENERGETIC"] },
        ["any of two tags"] = new() { Tags = ["calm", "dark"] },
        ["year from"] = new() { YearFrom = 2000 },
        ["year to"] = new() { YearTo = 1975 },
        ["year range"] = new() { YearFrom = 1980, YearTo = 1990 },
        ["single year"] = new() { YearFrom = 1999, YearTo = 1999 },
        ["bpm range"] = new() { BpmFrom = 90.0, BpmTo = 120.0 },
        ["bpm from"] = new() { BpmFrom = 150.0 },
        ["exclude artists"] = new() { ExcludeArtists = ["nina simone", "Aphex Twin"] },
        ["exclude albums"] = new() { ExcludeAlbums = ["DUMMY"] },
        ["exclude tracks"] = new() { ExcludeTracks = [new TrackId("t001"), new TrackId("t002"), new TrackId("t050")] },
        ["empty lists do not filter"] = new() { Artists = [], Tags = [], ExcludeAlbums = [] },
        ["everything at once"] = new()
        {
            Genres = ["jazz", "electronic"], YearFrom = 1965, BpmTo = 170.0, Tags = ["calm", "piano", "vocal"], ExcludeArtists = ["Miles Davis"],
        },
        ["nothing matches"] = new() { Artists = ["Nobody"] },
    };

    [ContractTheory]
    [MemberData(nameof(FilterCases))]
    public async Task Filters_admit_exactly_what_TrackFilter_Matches_admits(string name)
    {
        var filter = NamedFilters[name];
        var (store, points) = await FilledAsync(150, seed: 7);
        var query = TestTracks.UnitVector(new Random(name.Length), Dimensions);

        var expected = TestTracks.Ranking(points, query, filter.Matches);
        var results = await store.SearchAsync(SimilarityQuery.ForVector(query, SimilarityQuery.MaxLimit) with { Filter = filter });
        TestTracks.SameRanking(expected, results);
        if (name != "nothing matches")
        {
            Assert.NotEmpty(results);
        }
        Assert.True(name == "empty lists do not filter" || expected.Count < points.Count, "the filter should leave some tracks out");

        var windows = await store.SearchWindowsAsync(new WindowQuery(query) { Filter = filter, Limit = SimilarityQuery.MaxLimit });
        Assert.Equal(expected.Select(e => e.Track.Id).Order(), windows.Select(w => w.Track.Id).Order());

        var text = await store.SearchTextAsync(new TextQuery("song") { Filter = filter, Limit = SimilarityQuery.MaxLimit });
        Assert.Equal(expected.Select(e => e.Track.Id).Order(), text.Select(t => t.Record.Track.Id).Order());
    }

    [ContractFact]
    public async Task A_condition_on_an_unknown_field_leaves_the_track_out()
    {
        var store = await OpenAsync();
        var random = new Random(1);
        var unknown = TestTracks.Point(TestTracks.Track("unknown"), TestTracks.Vectors(random, Dimensions));
        var known = TestTracks.Point(TestTracks.Track("known", "A", "B", genre: "jazz", year: 1990, bpm: 100, tags: "calm"), TestTracks.Vectors(random, Dimensions));
        await store.UpsertAsync([unknown, known]);

        foreach (var filter in new TrackFilter[]
        {
            new() { Artists = ["a"] }, new() { Albums = ["b"] }, new() { Genres = ["JAZZ"] }, new() { Tags = ["calm"] },
            new() { YearFrom = 1000 }, new() { YearTo = 9999 }, new() { BpmFrom = 1 }, new() { BpmTo = 1000 },
        })
        {
            var results = await store.SearchAsync(SimilarityQuery.ForVector(known.Vectors.Vector) with { Filter = filter });
            Assert.Equal(["known"], results.Select(r => r.Track.Id.Value));
        }

        // Exclusions never leave out a track for what it does not have.
        var excluding = new TrackFilter { ExcludeArtists = ["x"], ExcludeAlbums = ["y"] };
        Assert.Equal(2, (await store.SearchAsync(SimilarityQuery.ForVector(known.Vectors.Vector) with { Filter = excluding })).Count);
    }

    [ContractFact]
    public async Task Random_filters_agree_with_the_reference_semantics()
    {
        var (store, points) = await FilledAsync(120, seed: 13);
        var random = new Random(17);
        string[] artists = ["nina simone", "Miles Davis", "björk", "nobody"];
        string[] tags = ["calm", "PIANO", "dark", "none"];
        for (var i = 0; i < 25; i++)
        {
            int? yearFrom = random.Next(3) == 0 ? 1960 + random.Next(60) : null;
            var filter = new TrackFilter
            {
                Artists = random.Next(3) == 0 ? [artists[random.Next(4)], artists[random.Next(4)]] : null,
                Tags = random.Next(3) == 0 ? [tags[random.Next(4)]] : null,
                YearFrom = yearFrom,
                YearTo = random.Next(3) == 0 ? (yearFrom ?? 1960) + random.Next(40) : null,
                BpmFrom = random.Next(4) == 0 ? 60 + random.Next(60) : null,
                ExcludeArtists = random.Next(4) == 0 ? [artists[random.Next(4)]] : null,
                ExcludeAlbums = random.Next(4) == 0 ? ["Kind of Blue"] : null,
            };
            var query = TestTracks.UnitVector(random, Dimensions);
            var results = await store.SearchAsync(SimilarityQuery.ForVector(query, 20) with { Filter = filter });
            TestTracks.SameRanking(TestTracks.Ranking(points, query, filter.Matches).Take(20).ToList(), results);
        }
    }
}

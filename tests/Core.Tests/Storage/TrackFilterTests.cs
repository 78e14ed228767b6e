using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;

namespace MusicSearch.Core.Tests.Storage;

public sealed class TrackFilterTests
{
    private static readonly Track Full = new()
    {
        Id = new TrackId("full"),
        AudioUri = "file:///x.flac",
        Artist = "Nina Simone",
        Album = "Pastel Blues",
        Genre = "Jazz",
        Year = 1965,
        Bpm = 142.5,
        Tags = ["Piano", "vocal"],
    };

    private static readonly Track Bare = new() { Id = new TrackId("bare"), AudioUri = "file:///y.flac" };

    public static TheoryData<string, bool, bool> Cases => new()
    {
        { "none", true, true },
        { "artist ignoring case", true, false },
        { "other artist", false, false },
        { "album", true, false },
        { "genre", true, false },
        { "tag ignoring case", true, false },
        { "other tags", false, false },
        { "year inclusive from", true, false },
        { "year inclusive to", true, false },
        { "year outside", false, false },
        { "bpm inclusive", true, false },
        { "bpm outside", false, false },
        { "exclude artist", false, true },
        { "exclude album", false, true },
        { "exclude track", false, true },
        { "empty lists", true, true },
    };

    private static TrackFilter Filter(string name) => name switch
    {
        "none" => TrackFilter.None,
        "artist ignoring case" => new() { Artists = ["Miles Davis", "NINA SIMONE"] },
        "other artist" => new() { Artists = ["Miles Davis"] },
        "album" => new() { Albums = ["pastel blues"] },
        "genre" => new() { Genres = ["jazz"] },
        "tag ignoring case" => new() { Tags = ["PIANO", "drums"] },
        "other tags" => new() { Tags = ["drums"] },
        "year inclusive from" => new() { YearFrom = 1965 },
        "year inclusive to" => new() { YearFrom = 1900, YearTo = 1965 },
        "year outside" => new() { YearFrom = 1966 },
        "bpm inclusive" => new() { BpmFrom = 142.5, BpmTo = 142.5 },
        "bpm outside" => new() { BpmTo = 142.4 },
        "exclude artist" => new() { ExcludeArtists = ["nina simone"] },
        "exclude album" => new() { ExcludeAlbums = ["PASTEL BLUES"] },
        "exclude track" => new() { ExcludeTracks = [new TrackId("other"), new TrackId("full")] },
        _ => new() { Artists = [], Albums = [], Genres = [], Tags = [], ExcludeArtists = [], ExcludeAlbums = [], ExcludeTracks = [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_is_case_insensitive_inclusive_and_fails_unknown_fields(string name, bool full, bool bare)
    {
        Assert.Equal(full, Filter(name).Matches(Full));
        Assert.Equal(bare, Filter(name).Matches(Bare));
    }

    [Fact]
    public void Excluding_adds_to_the_exclusions_already_there()
    {
        var filter = new TrackFilter { ExcludeArtists = ["A"], Genres = ["jazz"] }
            .Excluding([new TrackId("t")], ["B"], ["C"]);
        Assert.Equal(["A", "B"], filter.ExcludeArtists);
        Assert.Equal(["C"], filter.ExcludeAlbums);
        Assert.Equal([new TrackId("t")], filter.ExcludeTracks);
        Assert.Equal(["jazz"], filter.Genres);
    }

    [Theory]
    [InlineData(2000, 1999, null, null)]
    [InlineData(null, null, 120.0, 100.0)]
    [InlineData(null, null, double.NaN, null)]
    [InlineData(null, null, null, double.PositiveInfinity)]
    public void Empty_or_non_finite_ranges_are_argument_errors(int? yearFrom, int? yearTo, double? bpmFrom, double? bpmTo) =>
        Assert.Throws<ArgumentException>(() => new TrackFilter { YearFrom = yearFrom, YearTo = yearTo, BpmFrom = bpmFrom, BpmTo = bpmTo }.Validate());

    [Fact]
    public void Keys_are_lower_case_invariant() => Assert.Equal("björk ñ", TrackFilter.Key("BJÖRK Ñ"));
}

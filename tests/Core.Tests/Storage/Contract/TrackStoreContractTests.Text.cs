using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;

namespace MusicSearch.Core.Tests.Storage.Contract;

public abstract partial class TrackStoreContractTests
{
    private async Task<ITrackStore> TextCatalogAsync()
    {
        var store = await OpenAsync();
        var random = new Random(1);
        TrackPoint Point(string id, string title, string? artist, string? album) =>
            TestTracks.Point(TestTracks.Track(id, artist, album, title), TestTracks.Vectors(random, Dimensions));
        await store.UpsertAsync(
        [
            Point("sinnerman", "Sinnerman", "Nina Simone", "Pastel Blues"),
            Point("so-what", "So What", "Miles Davis", "Kind of Blue"),
            Point("blue-in-green", "Blue in Green", "Miles Davis", "Kind of Blue"),
            Point("joga", "Jóga", "Björk", "Homogenic"),
            Point("roads", "Roads", "Portishead", "Dummy"),
            Point("and-or", "Rock AND Roll (NOT \"live\") *remix*", "The \"Quoted\" Band", null),
            Point("column", "title: blue", "NEAR Orchestra", "Album ^ Caret"),
        ]);
        return store;
    }

    private static async Task<string[]> TextIdsAsync(ITrackStore store, string text, TrackFilter? filter = null) =>
        [.. (await store.SearchTextAsync(new TextQuery(text) { Filter = filter ?? TrackFilter.None })).Select(m => m.Record.Track.Id.Value).Order(StringComparer.Ordinal)];

    [ContractTheory]
    [InlineData("sinnerman", "sinnerman")]
    [InlineData("SIMONE", "sinnerman")]
    [InlineData("pastel", "sinnerman")]
    [InlineData("miles", "blue-in-green so-what")]
    [InlineData("miles blue", "blue-in-green so-what")]
    [InlineData("blue green", "blue-in-green")]
    [InlineData("green blue", "blue-in-green")]
    [InlineData("miles homogenic", "")]
    [InlineData("sinn", "sinnerman")]
    [InlineData("kind of bl", "blue-in-green so-what")]
    [InlineData("ro", "and-or roads")]
    [InlineData("zzz", "")]
    public async Task Text_search_needs_every_word_and_takes_the_last_as_a_prefix(string text, string expected)
    {
        var store = await TextCatalogAsync();
        Assert.Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries), await TextIdsAsync(store, text));
    }

    [ContractTheory]
    [InlineData("\"quoted\"", "and-or")]
    [InlineData("rock AND roll", "and-or")]
    [InlineData("roll NOT", "and-or")]
    [InlineData("NOT live", "and-or")]
    [InlineData("rock OR zzz", "")]
    [InlineData("*remix*", "and-or")]
    [InlineData("(not", "and-or")]
    [InlineData("title: blue", "column")]
    [InlineData("near orchestra", "column")]
    [InlineData("album ^", "column")]
    [InlineData("so \"what", "so-what")]
    [InlineData("\"", "")]
    [InlineData("* - ^ :", "")]
    public async Task Text_search_takes_operators_and_punctuation_literally(string text, string expected)
    {
        var store = await TextCatalogAsync();
        Assert.Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries), await TextIdsAsync(store, text));
    }

    [ContractFact]
    public async Task Text_search_ranks_best_first_applies_filters_and_limits()
    {
        var store = await TextCatalogAsync();
        var matches = await store.SearchTextAsync(new TextQuery("blue"));
        Assert.Equal("blue-in-green", matches[0].Record.Track.Id.Value);
        // "blue" is the last word, so a prefix: "Blues" matches too.
        Assert.Equal(["blue-in-green", "column", "sinnerman", "so-what"], matches.Select(m => m.Record.Track.Id.Value).Order(StringComparer.Ordinal));
        Assert.True(matches.Zip(matches.Skip(1)).All(pair => pair.First.Score >= pair.Second.Score));
        Assert.Equal(TrackStatus.Indexed, matches[0].Record.State.Status);
        Assert.Null(matches[0].Record.Vectors);

        Assert.Equal(["column", "sinnerman"], await TextIdsAsync(store, "blue", new TrackFilter { ExcludeAlbums = ["kind of blue"] }));
        Assert.Single(await store.SearchTextAsync(new TextQuery("blue") { Limit = 1 }));
    }

    [ContractFact]
    public async Task Text_search_finds_pending_and_failed_tracks_but_not_removed_ones()
    {
        var store = await TextCatalogAsync();
        await store.MarkPendingAsync([new PendingTrack(TestTracks.Track("new", "Nina Simone", title: "Feeling Good"), 1)]);
        await store.MarkFailedAsync([new TrackFailure(TestTracks.Track("sinnerman", "Nina Simone", title: "Sinnerman (corrupt)"), 2, "corrupt", "bad")]);
        await store.RemoveAsync([new TrackRemoval(new TrackId("roads"), 2)]);

        var matches = await store.SearchTextAsync(new TextQuery("nina"));
        Assert.Equal(
            [("new", TrackStatus.Pending), ("sinnerman", TrackStatus.Failed)],
            matches.Select(m => (m.Record.Track.Id.Value, m.Record.State.Status)).Order());
        Assert.Equal(["sinnerman"], await TextIdsAsync(store, "corrupt"));
        Assert.Empty(await TextIdsAsync(store, "roads"));
        Assert.Empty(await TextIdsAsync(store, "portishead"));
    }

    [ContractTheory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Empty_text_is_an_argument_error(string text)
    {
        var store = await OpenAsync();
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.SearchTextAsync(new TextQuery(text)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.SearchTextAsync(new TextQuery(new string('a', TextQuery.MaxTextLength + 1))));
    }
}

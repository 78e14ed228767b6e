using MusicSearch.Api.Errors;
using MusicSearch.Api.Similarity;
using MusicSearch.Api.Store;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;
using MusicSearch.Core.Storage.Embedded;
using MusicSearch.Testing;

namespace MusicSearch.Api.Tests.Similarity;

/// <summary>Tracks placed at known angles in a plane: cosine = cos(angle difference), so every expected score is known.</summary>
public sealed class SimilarTracksTests : IAsyncLifetime
{
    private const int Dimensions = 8;
    private SyntheticStore _store = null!;
    private SimilarTracks _similar = null!;

    public async Task InitializeAsync()
    {
        _store = await SyntheticStore.CreateAsync(Dimensions);
        _similar = new SimilarTracks(_store.Active);
        // Seed at 0°; others every 10°, alternating artists A/B, albums by pairs, genres by thirds.
        for (var i = 0; i <= 18; i++)
        {
            await _store.AddAsync($"t{i:00}", SyntheticStore.Angle(i * 10, Dimensions), artist: i % 2 == 0 ? "A" : "B", album: $"album{i / 2}",
                genre: (i % 3) switch { 0 => "ambient", 1 => "rock", _ => "jazz" });
        }
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Results_are_ranked_with_scores_mapped_from_cosine_to_0_1()
    {
        var page = await _similar.ToTrackAsync(new TrackId("t00"), new SimilarityRequest { First = 3 }, CancellationToken.None);
        Assert.Equal(["t01", "t02", "t03"], Ids(page.Items));
        Assert.Equal(Math.Cos(10 * Math.PI / 180), page.Items[0].Cosine, 5);
        Assert.Equal((1 + Math.Cos(10 * Math.PI / 180)) / 2, page.Items[0].Score, 5);
        Assert.True(page.HasNextPage);

        var opposite = await _similar.ToTrackAsync(new TrackId("t00"), new SimilarityRequest { First = 1, Filter = new TrackFilter { ExcludeTracks = [.. Enumerable.Range(1, 17).Select(i => new TrackId($"t{i:00}"))] } },
            CancellationToken.None);
        Assert.Equal(("t18", 0.0), (opposite.Items[0].Track.Id.Value, Math.Round(opposite.Items[0].Score, 5)));
    }

    [Fact]
    public async Task Pages_continue_exactly_where_the_last_one_stopped()
    {
        var first = await _similar.ToTrackAsync(new TrackId("t00"), new SimilarityRequest { First = 4 }, CancellationToken.None);
        var second = await _similar.ToTrackAsync(new TrackId("t00"), new SimilarityRequest { First = 4, After = first.EndCursor }, CancellationToken.None);
        var all = await _similar.ToTrackAsync(new TrackId("t00"), new SimilarityRequest { First = 100 }, CancellationToken.None);
        Assert.Equal(Ids(all.Items).Take(8), Ids(first.Items).Concat(Ids(second.Items)));
        Assert.Equal(18, all.Items.Count);
        Assert.False(all.HasNextPage);
        Assert.Null((await _similar.ToTrackAsync(new TrackId("t00"), new SimilarityRequest { First = 5, After = all.EndCursor }, CancellationToken.None)).EndCursor);
    }

    [Fact]
    public async Task Same_artist_and_album_exclusions_per_artist_limits_filters_and_score_floors_apply()
    {
        var otherArtist = await _similar.ToTrackAsync(new TrackId("t00"), new SimilarityRequest { First = 3, ExcludeSameArtist = true }, CancellationToken.None);
        Assert.Equal(["t01", "t03", "t05"], Ids(otherArtist.Items));

        var otherAlbum = await _similar.ToTrackAsync(new TrackId("t00"), new SimilarityRequest { First = 2, ExcludeSameAlbum = true }, CancellationToken.None);
        Assert.Equal(["t02", "t03"], Ids(otherAlbum.Items));

        var diverse = await _similar.ToTrackAsync(new TrackId("t00"), new SimilarityRequest { First = 5, MaxPerArtist = 1 }, CancellationToken.None);
        Assert.Equal(["t01", "t02"], Ids(diverse.Items));

        var jazz = await _similar.ToTrackAsync(new TrackId("t00"), new SimilarityRequest { First = 2, Filter = new TrackFilter { Genres = ["jazz"] } }, CancellationToken.None);
        Assert.Equal(["t02", "t05"], Ids(jazz.Items));

        // Score 0.75 is cosine 0.5, i.e. within 60°.
        var close = await _similar.ToTrackAsync(new TrackId("t00"), new SimilarityRequest { First = 50, MinScore = 0.75 }, CancellationToken.None);
        Assert.Equal(["t01", "t02", "t03", "t04", "t05", "t06"], Ids(close.Items));
    }

    [Fact]
    public async Task Recommendations_move_towards_positives_and_away_from_negatives()
    {
        var between = await _similar.RecommendAsync([new TrackId("t04"), new TrackId("t08")], [], new SimilarityRequest { First = 1 }, CancellationToken.None);
        Assert.Equal(["t06"], Ids(between.Items));

        var away = await _similar.RecommendAsync([new TrackId("t06")], [new TrackId("t00")], new SimilarityRequest { First = 1 }, CancellationToken.None);
        Assert.True(away.Items[0].Track.Id > new TrackId("t06"), $"away from t00 the best match lies past t06, got {away.Items[0].Track.Id}");

        await Assert.ThrowsAsync<ArgumentException>(() => _similar.RecommendAsync([], [new TrackId("t00")], new SimilarityRequest(), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => _similar.RecommendAsync([new TrackId("t01")], [new TrackId("t01")], new SimilarityRequest(), CancellationToken.None));
    }

    [Fact]
    public async Task A_vector_query_and_bad_input_give_typed_answers()
    {
        var byVector = await _similar.ToVectorAsync(SyntheticStore.Angle(92, Dimensions), new SimilarityRequest { First = 1 }, CancellationToken.None);
        Assert.Equal(["t09"], Ids(byVector.Items));

        await Assert.ThrowsAsync<TrackNotFoundException>(() => _similar.ToTrackAsync(new TrackId("nobody"), new SimilarityRequest(), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => _similar.ToTrackAsync(new TrackId("t00"), new SimilarityRequest { MinScore = 1.5 }, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => _similar.ToTrackAsync(new TrackId("t00"), new SimilarityRequest { After = "b2Zmc2V0Oi0x" }, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => _similar.ToVectorAsync(new float[3], new SimilarityRequest(), CancellationToken.None));
    }

    [Fact]
    public async Task No_active_collection_is_a_typed_error()
    {
        using var directory = new TemporaryDirectory();
        await using var fresh = new EmbeddedTrackCollections(new EmbeddedStoreOptions { Directory = directory.Path });
        var similar = new SimilarTracks(new ActiveStore(fresh));
        await Assert.ThrowsAsync<NoActiveCollectionException>(() => similar.ToTrackAsync(new TrackId("t00"), new SimilarityRequest(), CancellationToken.None));
    }

    private static IEnumerable<string> Ids(IEnumerable<ScoredTrack> items) => items.Select(item => item.Track.Id.Value);
}

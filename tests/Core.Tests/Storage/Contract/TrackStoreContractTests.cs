using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;

namespace MusicSearch.Core.Tests.Storage.Contract;

/// <summary>
/// The track-store contract (ARCHITECTURE.md §6, <see cref="ITrackStore"/>, <see cref="ITrackCollections"/>) as tests:
/// every implementation subclasses this with a factory for a fresh, empty store and a way to reopen it. Each test gets a
/// new store. The parts live in the partial files next to this one (writes, searches, filters, windows, text, collections).
/// </summary>
public abstract partial class TrackStoreContractTests : IAsyncLifetime
{
    protected const int Dimensions = 12;
    protected const string Model = "contract-model-1";

    protected ITrackCollections Collections { get; private set; } = null!;

    /// <summary>A fresh store with no collection.</summary>
    protected abstract Task<ITrackCollections> CreateCollectionsAsync();

    /// <summary>Disposes <paramref name="current"/> and opens the same store again, as after a process restart.</summary>
    protected abstract Task<ITrackCollections> ReopenCollectionsAsync(ITrackCollections current);

    /// <summary>Deletes what <see cref="CreateCollectionsAsync"/> made, after the collections were disposed.</summary>
    protected abstract Task DeleteStoreAsync();

    public async Task InitializeAsync() => Collections = await CreateCollectionsAsync();

    public async Task DisposeAsync()
    {
        await Collections.DisposeAsync();
        await DeleteStoreAsync();
    }

    protected Task<ITrackStore> OpenAsync() => Collections.OpenAsync(Model, Dimensions);

    /// <summary>Restarts the store and opens the test collection again.</summary>
    protected async Task<ITrackStore> RestartAsync()
    {
        Collections = await ReopenCollectionsAsync(Collections);
        return await OpenAsync();
    }

    /// <summary>A store holding <paramref name="count"/> random tracks (ids <c>t000</c>…), returned with the points written.</summary>
    protected async Task<(ITrackStore Store, List<TrackPoint> Points)> FilledAsync(int count, int seed = 1, int windows = 2)
    {
        var store = await OpenAsync();
        var random = new Random(seed);
        var points = Enumerable.Range(0, count)
            .Select(i => TestTracks.Point(TestTracks.RandomTrack(random, $"t{i:D3}"), TestTracks.Vectors(random, Dimensions, windows)))
            .ToList();
        Assert.All(await store.UpsertAsync(points), outcome => Assert.Equal(WriteOutcome.Applied, outcome));
        return (store, points);
    }

    protected static TrackPoint NewPoint(string id, long version = 1, int seed = 0, string? artist = null) =>
        TestTracks.Point(TestTracks.Track(id, artist), TestTracks.Vectors(new Random(seed), Dimensions), version);

    protected static async Task<IReadOnlyList<SimilarTrack>> SearchAsync(ITrackStore store, float[] vector, int limit = 10) =>
        await store.SearchAsync(SimilarityQuery.ForVector(vector, limit));

    protected static async Task<bool> IsSearchableAsync(ITrackStore store, TrackId id) =>
        (await store.SearchAsync(SimilarityQuery.ForVector(TestTracks.UnitVector(new Random(99), Dimensions), SimilarityQuery.MaxLimit)))
            .Any(result => result.Track.Id == id);
}

using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;

namespace MusicSearch.Core.Tests.Storage.Contract;

public abstract partial class TrackStoreContractTests
{
    [ContractFact]
    public async Task Opening_creates_a_collection_named_after_its_model_version()
    {
        Assert.Empty(await Collections.ListAsync());
        var store = await Collections.OpenAsync("musicfm-330m/v2.1", 24);
        Assert.Equal(new CollectionInfo("tracks_musicfm-330m_v2_1", "musicfm-330m/v2.1", 24), store.Info);
        await Collections.OpenAsync("small", 8);

        Assert.Equal([CollectionInfo.NameFor("musicfm-330m/v2.1"), "tracks_small"], (await Collections.ListAsync()).Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.Equal(store.Info, (await Collections.OpenAsync("musicfm-330m/v2.1", 24)).Info);
    }

    [ContractFact]
    public async Task Opening_with_other_dimensions_is_refused()
    {
        await Collections.OpenAsync("m1", 16);
        var error = await Assert.ThrowsAsync<TrackStoreException>(() => Collections.OpenAsync("m1", 32));
        Assert.Contains("16", error.Message, StringComparison.Ordinal);

        Collections = await ReopenCollectionsAsync(Collections);
        await Assert.ThrowsAsync<TrackStoreException>(() => Collections.OpenAsync("m1", 32));
        Assert.Equal(16, (await Collections.OpenAsync("m1", 16)).Info.Dimensions);
    }

    [ContractFact]
    public async Task Model_versions_whose_names_collide_cannot_share_a_collection()
    {
        await Collections.OpenAsync("model.v1", Dimensions);
        await Assert.ThrowsAsync<TrackStoreException>(() => Collections.OpenAsync("model_v1", Dimensions));
        await Assert.ThrowsAsync<TrackStoreException>(() => Collections.ActivateAsync("model_v1"));
        await Collections.DropAsync("model_v1");
        Assert.Equal(["model.v1"], (await Collections.ListAsync()).Select(c => c.ModelVersion));
    }

    [ContractTheory]
    [InlineData("", 8)]
    [InlineData("m", 0)]
    [InlineData("m", CollectionInfo.MaxDimensions + 1)]
    public async Task Invalid_collection_arguments_are_argument_errors(string modelVersion, int dimensions) =>
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Collections.OpenAsync(modelVersion, dimensions));

    [ContractFact]
    public async Task The_active_collection_switches_atomically_and_survives_a_restart()
    {
        Assert.Null(await Collections.GetActiveAsync());
        var first = await Collections.OpenAsync("m1", Dimensions);
        await first.UpsertAsync([NewPoint("in-m1")]);
        var second = await Collections.OpenAsync("m2", Dimensions);
        await second.UpsertAsync([NewPoint("in-m2")]);

        await Collections.ActivateAsync("m1");
        Assert.Equal("m1", (await Collections.GetActiveAsync())!.Info.ModelVersion);
        await Collections.ActivateAsync("m2");
        var active = await Collections.GetActiveAsync();
        Assert.Equal("m2", active!.Info.ModelVersion);
        Assert.NotNull(await active.GetAsync(new TrackId("in-m2")));
        Assert.Null(await active.GetAsync(new TrackId("in-m1")));

        Collections = await ReopenCollectionsAsync(Collections);
        active = await Collections.GetActiveAsync();
        Assert.Equal("m2", active!.Info.ModelVersion);
        Assert.NotNull(await active.GetAsync(new TrackId("in-m2")));
    }

    [ContractFact]
    public async Task Activating_a_missing_collection_is_refused()
    {
        await Collections.OpenAsync("m1", Dimensions);
        await Assert.ThrowsAsync<TrackStoreException>(() => Collections.ActivateAsync("m9"));
        Assert.Null(await Collections.GetActiveAsync());
    }

    [ContractFact]
    public async Task Dropping_deletes_an_inactive_collection_and_refuses_the_active_one()
    {
        var kept = await Collections.OpenAsync("kept", Dimensions);
        var dropped = await Collections.OpenAsync("dropped", Dimensions);
        await dropped.UpsertAsync([NewPoint("a")]);
        await Collections.ActivateAsync("kept");

        await Assert.ThrowsAsync<TrackStoreException>(() => Collections.DropAsync("kept"));
        await Collections.DropAsync("dropped");
        await Collections.DropAsync("never-existed");

        Assert.Equal(["kept"], (await Collections.ListAsync()).Select(c => c.ModelVersion));
        await Assert.ThrowsAnyAsync<TrackStoreException>(() => dropped.GetAsync(new TrackId("a")));
        await Assert.ThrowsAsync<TrackStoreException>(() => Collections.ActivateAsync("dropped"));

        var recreated = await Collections.OpenAsync("dropped", Dimensions * 2);
        Assert.Equal(new StatusCounts(0, 0, 0), await recreated.CountAsync());
        Assert.Equal(new StatusCounts(0, 0, 0), await kept.CountAsync());
    }
}

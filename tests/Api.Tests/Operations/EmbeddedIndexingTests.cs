using Microsoft.Extensions.DependencyInjection;
using MusicSearch.Api.Operations;
using MusicSearch.Api.Tests.Hosting;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;
using MusicSearch.Testing;

namespace MusicSearch.Api.Tests.Operations;

/// <summary>The Api's embedded mode end to end: editor operations go through the in-process bus to the pipeline it hosts.</summary>
[Collection(ApiTestGroup.Name)]
public sealed class EmbeddedIndexingTests(PipelineFixture fixture)
{
    [Fact]
    public async Task Enqueued_tracks_are_indexed_in_process_and_status_models_and_failures_report_them()
    {
        await using var api = ApiHost.Start(fixture);
        string[] files = [.. fixture.AudioFiles.Take(3), fixture.GarbageFile];
        var tracks = await api.IndexAsync(files, "e");

        var status = await api.Services.GetRequiredService<IndexingStatus>().GetAsync(CancellationToken.None);
        Assert.Equal($"tracks_{PipelineFixture.ModelA}", status.Collection);
        Assert.Equal(new StatusCounts(0, 3, 1), status.Counts);
        Assert.Equal(0, status.InFlight);
        Assert.Empty(status.Queues);
        await Eventually.HoldsAsync(() => api.Services.GetRequiredService<ThroughputSampler>().Current is { TracksPerSecond: > 0 }, "throughput measured");

        var failures = await api.Services.GetRequiredService<IndexingStatus>().FailuresAsync(10, null, CancellationToken.None);
        var failure = Assert.Single(failures.Items);
        Assert.Equal(("e-garbage", "not-audio"), (failure.Track.Id.Value, failure.Code));
        Assert.False(failures.HasNextPage);

        var models = await api.Services.GetRequiredService<ModelCatalog>().GetAsync(CancellationToken.None);
        Assert.Equal((PipelineFixture.ModelA, PipelineFixture.ModelA, "musicfm"), (models.Version, models.ActiveModelVersion, models.Architecture));
        var collection = Assert.Single(models.Collections);
        Assert.Equal((true, models.Dimensions, 3L), (collection.Active, collection.Dimensions, collection.Counts.Indexed));
        Assert.All(tracks.SkipLast(1), track => Assert.StartsWith("e-", track.Id.Value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Editors_remove_tracks_retry_failures_and_list_library_folders()
    {
        await using var api = ApiHost.Start(fixture);
        var editor = api.Services.GetRequiredService<CatalogEditor>();
        var collections = api.Services.GetRequiredService<ITrackCollections>();
        await api.IndexAsync([fixture.AudioFiles[0], fixture.AudioFiles[1], fixture.GarbageFile], "r");
        var active = (await collections.GetActiveAsync())!;

        await editor.RemoveTrackAsync(new TrackId("r-low-tone"), CancellationToken.None);
        await Eventually.HoldsAsync(async () => await active.GetAsync(new TrackId("r-low-tone")) is null, "the removed track gone");
        var before = (await active.GetAsync(new TrackId("r-garbage")))!.State;
        Assert.Equal(1, await editor.RetryFailedAsync(null, CancellationToken.None));
        await Eventually.HoldsAsync(async () => (await active.GetAsync(new TrackId("r-garbage")))!.State is { Status: TrackStatus.Failed } state && state.Version > before.Version,
            "the retried track failed again at the new version");
        Assert.Equal(0, await editor.RetryFailedAsync([new TrackId("r-high-tone")], CancellationToken.None));
        // A folder of the library: one file with audio, one that ffprobe cannot read (reported, not sent).
        var folder = Directory.CreateDirectory(Path.Combine(api.LibraryRoot, $"listing-{Guid.NewGuid():N}")).FullName;
        try
        {
            File.Copy(fixture.AudioFiles[0], Path.Combine(folder, "tone.flac"));
            File.Copy(fixture.GarbageFile, Path.Combine(folder, "noise.mp3"));
            var listed = await editor.EnqueuePathAsync(folder, CancellationToken.None);
            Assert.Equal(1, listed.Enqueued);
            Assert.Equal("noise.mp3", Assert.Single(listed.Problems).Location);
            await Eventually.HoldsAsync(async () => await active.GetAsync(new TrackId("tone.flac")) is { State.Status: TrackStatus.Indexed }, "the listed track indexed");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        var outside = await Assert.ThrowsAsync<CatalogPathException>(() => editor.EnqueuePathAsync("/etc", CancellationToken.None));
        Assert.Contains("outside the library roots", outside.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<CatalogPathException>(() => editor.EnqueuePathAsync(Path.Combine(api.LibraryRoot, "chord.flac"), CancellationToken.None));
    }

    [Fact]
    public async Task Invalid_or_repeated_tracks_are_reported_and_the_rest_sent()
    {
        await using var api = ApiHost.Start(fixture);
        var editor = api.Services.GetRequiredService<CatalogEditor>();
        var good = PipelineFixture.TrackFor(fixture.AudioFiles[0], "v");
        var result = await editor.EnqueueTracksAsync([good, good, good with { Id = new TrackId("v-bad"), Year = 12 }], CancellationToken.None);
        Assert.Equal(1, result.Enqueued);
        Assert.Equal(["tracks[1]", "tracks[2]"], result.Problems.Select(problem => problem.Location));
        Assert.Contains("appears more than once", result.Problems[0].Reason, StringComparison.Ordinal);
        Assert.Contains("four-digit year", result.Problems[1].Reason, StringComparison.Ordinal);
    }
}

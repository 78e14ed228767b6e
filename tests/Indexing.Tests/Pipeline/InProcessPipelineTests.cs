using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using MusicSearch.Core.Audio;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Messages;
using MusicSearch.Core.Storage;
using MusicSearch.Core.Storage.Embedded;
using MusicSearch.Indexing.Pipeline;
using MusicSearch.Inference.Embedding;
using MusicSearch.Testing;

namespace MusicSearch.Indexing.Tests.Pipeline;

/// <summary>The pipeline in this process on the in-memory bus, with a real embedded store, real ffmpeg and a real (tiny) model.</summary>
[Collection(PipelineTestGroup.Name)]
public sealed class InProcessPipelineTests(PipelineFixture fixture) : IAsyncLifetime, IDisposable
{
    private readonly TemporaryDirectory _storeDirectory = new();
    private EmbeddedTrackCollections _store = null!;

    public Task InitializeAsync()
    {
        _store = new EmbeddedTrackCollections(new EmbeddedStoreOptions { Directory = _storeDirectory.Path });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    public void Dispose() => _storeDirectory.Dispose();

    [Fact]
    public async Task A_folder_of_tracks_is_indexed_and_each_tracks_own_excerpt_finds_it_first()
    {
        await using var host = await PipelineHost.StartAsync(fixture.PackageA, _store);
        var tracks = fixture.AudioFiles.Select(path => PipelineFixture.TrackFor(path, "e2e")).ToArray();

        await host.Bus.PublishBatch(tracks.Select(track => new IndexTrack(track, Version: 1)));
        await Eventually.HoldsAsync(() => host.Events.Indexed.Count >= tracks.Length, "every track indexed");

        var active = (await _store.GetActiveAsync())!;
        Assert.Equal(PipelineFixture.ModelA, active.Info.ModelVersion);
        Assert.Equal(new StatusCounts(0, tracks.Length, 0), await active.CountAsync());
        Assert.Equal(tracks.Select(t => t.Id).Order(), host.Events.Indexed.Select(e => e.TrackId).Order());
        Assert.All(host.Events.Indexed, e => Assert.Equal((1, 8.0), (e.Windows, Math.Round(e.DurationSeconds, 1))));

        var embedder = host.Services.GetRequiredService<AudioEmbedder>();
        var decoder = new AudioDecoder(new AudioDecoderOptions());
        foreach (var (track, path) in tracks.Zip(fixture.AudioFiles))
        {
            var excerpt = await decoder.DecodeAsync(path, embedder.SampleRate, new AudioRange(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)));
            var vector = (await embedder.EmbedAsync(excerpt.Samples)).Vector;
            var windows = await active.SearchWindowsAsync(new WindowQuery(vector) { Limit = 3 });
            Assert.True(windows[0].Track.Id == track.Id, $"the excerpt of {track.Id} found {string.Join(", ", windows.Select(w => $"{w.Track.Id} {w.Score:0.0000}"))}");
            var similar = await active.SearchAsync(SimilarityQuery.ForVector(vector, limit: 1));
            Assert.Equal(track.Id, similar[0].Track.Id);
        }

        var metrics = host.Metrics();
        Assert.Contains($"musicsearch_indexer_tracks_indexed_total {tracks.Length}\n", metrics);
        Assert.Contains($"musicsearch_indexer_windows_total {tracks.Length}\n", metrics);
        Assert.Contains($"musicsearch_indexer_decode_duration_seconds_count {tracks.Length}\n", metrics);
        Assert.Contains("musicsearch_indexer_store_duration_seconds_count{operation=\"upsert\"}", metrics);
    }

    [Fact]
    public async Task The_same_message_twice_leaves_one_point_and_a_later_removal_wins_over_a_late_redelivery()
    {
        await using var host = await PipelineHost.StartAsync(fixture.PackageA, _store);
        var track = PipelineFixture.TrackFor(fixture.AudioFiles[0], "twice");

        await host.Bus.Publish(new IndexTrack(track, Version: 5));
        await Eventually.HoldsAsync(() => host.Events.Indexed.Count == 1, "the first delivery indexed");
        await host.Bus.Publish(new IndexTrack(track, Version: 5));
        await Eventually.HoldsAsync(() => host.Events.Indexed.Count == 2, "the duplicate acknowledged as indexed");

        var active = (await _store.GetActiveAsync())!;
        Assert.Equal(new StatusCounts(0, 1, 0), await active.CountAsync());
        Assert.Single(await active.SearchAsync(SimilarityQuery.ForVector((await active.GetAsync(track.Id, withVectors: true))!.Vectors!.Vector, limit: 10)));

        await host.Bus.Publish(new RemoveTrack(track.Id, Version: 6));
        await Eventually.HoldsAsync(async () => await active.GetAsync(track.Id) is null, "the removal applied");

        // A redelivery of the older IndexTrack arriving after the removal changes nothing.
        var indexer = host.Services.GetRequiredService<TrackIndexer>();
        var outcomes = await indexer.IndexAsync([new IndexTrack(track, Version: 5)], attempt: 2, CancellationToken.None);
        Assert.IsType<TrackSkippedOutcome>(Assert.Single(outcomes));
        Assert.Null(await active.GetAsync(track.Id));
        Assert.Equal(0, (await active.CountAsync()).Total);

        // A newer event brings it back.
        outcomes = await indexer.IndexAsync([new IndexTrack(track, Version: 7)], attempt: 1, CancellationToken.None);
        Assert.IsType<TrackIndexedOutcome>(Assert.Single(outcomes));
        Assert.Equal(7, (await active.GetAsync(track.Id))!.State.Version);
    }

    [Fact]
    public async Task Corrupt_files_are_marked_failed_with_their_reason_and_go_to_the_error_queue_while_the_rest_is_indexed()
    {
        await using var host = await PipelineHost.StartAsync(fixture.PackageA, _store);
        var good = fixture.AudioFiles.Take(3).Select(path => PipelineFixture.TrackFor(path, "corrupt")).ToArray();
        var garbage = PipelineFixture.TrackFor(fixture.GarbageFile, "corrupt");
        var truncated = PipelineFixture.TrackFor(fixture.TruncatedFile, "corrupt");

        await host.Bus.PublishBatch(new[] { good[0], garbage, good[1], truncated, good[2] }.Select(track => new IndexTrack(track, Version: 1)));
        await Eventually.HoldsAsync(() => host.Events.Indexed.Count == 3 && host.Events.Failed.Count == 2 && host.Events.Errors.Count == 2,
            "3 indexed, 2 failed, 2 in the error queue");

        var active = (await _store.GetActiveAsync())!;
        Assert.Equal(new StatusCounts(0, 3, 2), await active.CountAsync());
        var garbageState = (await active.GetAsync(garbage.Id))!.State;
        Assert.Equal((TrackStatus.Failed, "not-audio"), (garbageState.Status, garbageState.FailureCode));
        Assert.Contains("garbage.mp3", garbageState.FailureReason);
        var truncatedState = (await active.GetAsync(truncated.Id))!.State;
        Assert.Equal(TrackStatus.Failed, truncatedState.Status);
        Assert.True(truncatedState.FailureCode is "truncated" or "corrupt", truncatedState.FailureCode);

        var failure = Assert.Single(host.Events.Failed, f => f.TrackId == garbage.Id);
        Assert.True(failure.Permanent);
        Assert.Equal("not-audio", failure.Code);
        var error = Assert.Single(host.Events.Errors, e => e.Message.Track.Id == garbage.Id);
        Assert.Equal("not-audio", error.Code);
        Assert.StartsWith("not-audio: NotAudio:", error.FaultMessage);
        Assert.Contains(host.Events.Errors, e => e.Message.Track.Id == truncated.Id);
        Assert.Contains("musicsearch_indexer_tracks_failed_total{permanent=\"true\",reason=\"not-audio\"} 1\n", host.Metrics());
    }

    [Fact]
    public async Task Store_write_failures_are_retried_with_backoff_until_the_batch_is_stored()
    {
        var flaky = new InterceptingCollections(_store, upsert => upsert <= 2
            ? throw new TrackStoreUnavailableException($"injected failure of upsert {upsert}")
            : Task.CompletedTask);
        await using var host = await PipelineHost.StartAsync(fixture.PackageA, flaky);
        var tracks = fixture.AudioFiles.Take(4).Select(path => PipelineFixture.TrackFor(path, "flaky")).ToArray();

        await host.Bus.PublishBatch(tracks.Select(track => new IndexTrack(track, Version: 1)));
        await Eventually.HoldsAsync(() => host.Events.Indexed.Count >= tracks.Length, "every track indexed after the retries");

        Assert.True(flaky.Upserts >= 3, $"{flaky.Upserts} upserts");
        Assert.Equal(tracks.Length, host.Events.Indexed.Count);
        Assert.Empty(host.Events.Errors);
        var active = (await _store.GetActiveAsync())!;
        Assert.Equal(new StatusCounts(0, tracks.Length, 0), await active.CountAsync());
    }

    [Fact]
    public async Task Stopping_the_host_lets_the_batch_in_progress_finish()
    {
        var writing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = new InterceptingCollections(_store, async _ =>
        {
            writing.TrySetResult();
            await release.Task;
        });
        var host = await PipelineHost.StartAsync(fixture.PackageA, slow);
        var tracks = fixture.AudioFiles.Take(3).Select(path => PipelineFixture.TrackFor(path, "stop")).ToArray();
        await host.Bus.PublishBatch(tracks.Select(track => new IndexTrack(track, Version: 1)));
        await writing.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var stopping = host.StopAsync();
        await Task.Delay(300);
        Assert.False(stopping.IsCompleted, "the host stopped before its batch finished");
        release.SetResult();
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));
        await host.DisposeAsync();

        var active = (await _store.GetActiveAsync())!;
        Assert.Equal(new StatusCounts(0, tracks.Length, 0), await active.CountAsync());
    }

    [Fact]
    public async Task A_reindex_fills_the_new_models_collection_and_switches_only_when_it_is_complete()
    {
        var tracks = fixture.AudioFiles.Take(4).Select(path => PipelineFixture.TrackFor(path, "reindex")).ToArray();
        await using (var oldWorker = await PipelineHost.StartAsync(fixture.PackageA, _store))
        {
            await oldWorker.Bus.PublishBatch(tracks.Select((track, i) => new IndexTrack(track, Version: 10 + i)));
            await Eventually.HoldsAsync(() => oldWorker.Events.Indexed.Count == tracks.Length, "the catalog indexed with model A");
        }
        var old = (await _store.GetActiveAsync())!;
        var oldVector = (await old.GetAsync(tracks[0].Id, withVectors: true))!.Vectors!.Vector;

        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gated = new InterceptingCollections(_store, _ => release.Task);
        await using var newWorker = await PipelineHost.StartAsync(fixture.PackageB, gated);
        await newWorker.Bus.Publish(new ReindexCatalog(PipelineFixture.ModelB));

        await Eventually.HoldsAsync(async () => (await _store.ListAsync()).Any(c => c.ModelVersion == PipelineFixture.ModelB), "the new collection created");
        var target = await _store.OpenAsync(PipelineFixture.ModelB, 32);
        await Eventually.HoldsAsync(async () => (await target.CountAsync()).Pending == tracks.Length, "every track pending in the new collection");
        await Task.Delay(500);
        Assert.Equal(PipelineFixture.ModelA, (await _store.GetActiveAsync())!.Info.ModelVersion);
        Assert.Equal(new StatusCounts(0, tracks.Length, 0), await old.CountAsync());

        release.SetResult();
        await Eventually.HoldsAsync(async () => (await _store.GetActiveAsync())!.Info.ModelVersion == PipelineFixture.ModelB, "the new collection activated");
        Assert.Equal(new StatusCounts(0, tracks.Length, 0), await target.CountAsync());
        for (var i = 0; i < tracks.Length; i++)
        {
            Assert.Equal(10 + i, (await target.GetAsync(tracks[i].Id))!.State.Version);
        }
        Assert.Equal(new StatusCounts(0, tracks.Length, 0), await old.CountAsync());
        Assert.Equal(oldVector, (await old.GetAsync(tracks[0].Id, withVectors: true))!.Vectors!.Vector);
        Assert.NotEqual(oldVector, (await target.GetAsync(tracks[0].Id, withVectors: true))!.Vectors!.Vector);
    }
}

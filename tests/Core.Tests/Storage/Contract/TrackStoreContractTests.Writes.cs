using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;

namespace MusicSearch.Core.Tests.Storage.Contract;

public abstract partial class TrackStoreContractTests
{
    [ContractFact]
    public async Task An_upserted_track_comes_back_with_its_payload_state_and_vectors()
    {
        var store = await OpenAsync();
        var track = TestTracks.Track("isrc:GBAYE0601498", "Nina Simone", "Pastel Blues", "Sinnerman", "jazz", 1965, 142.5, "piano", "vocal");
        var vectors = TestTracks.Vectors(new Random(3), Dimensions, windows: 3);
        var indexedAt = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2));
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        Assert.Equal([WriteOutcome.Applied], await store.UpsertAsync([new TrackPoint(track, vectors, 7) { Attempts = 2, IndexedAt = indexedAt }]));

        var record = await store.GetAsync(track.Id, withVectors: true);
        Assert.NotNull(record);
        TestTracks.SameTrack(track, record.Track);
        Assert.Equal(TrackStatus.Indexed, record.State.Status);
        Assert.Equal(7, record.State.Version);
        Assert.Equal(2, record.State.Attempts);
        Assert.Equal(Model, record.State.ModelVersion);
        Assert.Equal(indexedAt, record.State.IndexedAt);
        Assert.InRange(record.State.UpdatedAt, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Null(record.State.FailureCode);
        Assert.Null(record.State.FailureReason);
        Assert.NotNull(record.Vectors);
        TestTracks.SameVector(vectors.Vector, record.Vectors.Vector);
        Assert.Equal(3, record.Vectors.Windows.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(vectors.Windows[i].StartSeconds, record.Vectors.Windows[i].StartSeconds);
            Assert.Equal(vectors.Windows[i].DurationSeconds, record.Vectors.Windows[i].DurationSeconds);
            TestTracks.SameVector(vectors.Windows[i].Vector, record.Vectors.Windows[i].Vector);
        }

        Assert.Null((await store.GetAsync(track.Id))!.Vectors);
        Assert.Null(await store.GetAsync(new TrackId("never-written")));
    }

    [ContractFact]
    public async Task Upserting_the_same_track_again_keeps_one_track()
    {
        var store = await OpenAsync();
        var point = NewPoint("a");
        await store.UpsertAsync([point]);
        await store.UpsertAsync([point]);
        await store.UpsertAsync([point with { Track = point.Track with { Title = "Renamed" } }]);

        Assert.Equal(new StatusCounts(0, 1, 0), await store.CountAsync());
        Assert.Equal("Renamed", (await store.GetAsync(point.Track.Id))!.Track.Title);
        var results = await SearchAsync(store, point.Vectors.Vector);
        Assert.Equal(point.Track.Id, Assert.Single(results).Track.Id);
        Assert.Equal(1f, results[0].Score, 1e-5f);
    }

    [ContractFact]
    public async Task An_older_version_is_stale_and_changes_nothing()
    {
        var store = await OpenAsync();
        var newer = NewPoint("a", version: 5, seed: 1);
        await store.UpsertAsync([newer]);

        Assert.Equal([WriteOutcome.Stale], await store.UpsertAsync([NewPoint("a", version: 4, seed: 2)]));
        Assert.Equal([WriteOutcome.Stale], await store.MarkPendingAsync([new PendingTrack(TestTracks.Track("a", "Other"), 3)]));
        Assert.Equal([WriteOutcome.Stale], await store.MarkFailedAsync([new TrackFailure(TestTracks.Track("a"), 4, "corrupt", "bad")]));
        Assert.Equal([WriteOutcome.Stale], await store.RemoveAsync([new TrackRemoval(new TrackId("a"), 4)]));

        var record = await store.GetAsync(new TrackId("a"), withVectors: true);
        Assert.Equal(TrackStatus.Indexed, record!.State.Status);
        Assert.Equal(5, record.State.Version);
        TestTracks.SameVector(newer.Vectors.Vector, record.Vectors!.Vector);
    }

    [ContractFact]
    public async Task An_equal_version_is_applied_again_and_a_later_one_applies()
    {
        var store = await OpenAsync();
        await store.UpsertAsync([NewPoint("a", version: 5, seed: 1)]);
        var redelivered = NewPoint("a", version: 5, seed: 2);
        Assert.Equal([WriteOutcome.Applied], await store.UpsertAsync([redelivered]));
        TestTracks.SameVector(redelivered.Vectors.Vector, (await store.GetAsync(new TrackId("a"), withVectors: true))!.Vectors!.Vector);

        var later = NewPoint("a", version: 6, seed: 3);
        Assert.Equal([WriteOutcome.Applied], await store.UpsertAsync([later]));
        Assert.Equal(6, (await store.GetAsync(new TrackId("a")))!.State.Version);
        Assert.Equal(later.Track.Id, (await SearchAsync(store, later.Vectors.Vector, 1))[0].Track.Id);
    }

    [ContractFact]
    public async Task Outcomes_follow_the_batch_order_even_for_the_same_track()
    {
        var store = await OpenAsync();
        var outcomes = await store.UpsertAsync([NewPoint("a", 2, seed: 1), NewPoint("b", 1), NewPoint("a", 1, seed: 2), NewPoint("a", 3, seed: 3)]);
        Assert.Equal([WriteOutcome.Applied, WriteOutcome.Applied, WriteOutcome.Stale, WriteOutcome.Applied], outcomes);
        Assert.Equal(3, (await store.GetAsync(new TrackId("a")))!.State.Version);
        Assert.Equal(new StatusCounts(0, 2, 0), await store.CountAsync());
    }

    [ContractFact]
    public async Task A_removal_wins_over_an_index_event_of_the_same_version()
    {
        var store = await OpenAsync();
        var point = NewPoint("a", version: 3);
        await store.UpsertAsync([point]);

        Assert.Equal([WriteOutcome.Applied], await store.RemoveAsync([new TrackRemoval(point.Track.Id, 3)]));
        Assert.Null(await store.GetAsync(point.Track.Id));
        Assert.False(await IsSearchableAsync(store, point.Track.Id));

        Assert.Equal([WriteOutcome.Stale], await store.UpsertAsync([point]));
        Assert.Equal([WriteOutcome.Stale], await store.MarkPendingAsync([new PendingTrack(point.Track, 3)]));
        Assert.Equal([WriteOutcome.Stale], await store.MarkFailedAsync([new TrackFailure(point.Track, 3, "corrupt", "bad")]));
        Assert.Equal([WriteOutcome.Applied], await store.RemoveAsync([new TrackRemoval(point.Track.Id, 3)]));
        Assert.Null(await store.GetAsync(point.Track.Id));
        Assert.Equal(new StatusCounts(0, 0, 0), await store.CountAsync());
    }

    [ContractFact]
    public async Task A_removal_is_remembered_even_for_a_track_never_seen()
    {
        var store = await OpenAsync();
        Assert.Equal([WriteOutcome.Applied], await store.RemoveAsync([new TrackRemoval(new TrackId("ghost"), 10)]));
        Assert.Equal([WriteOutcome.Stale], await store.UpsertAsync([NewPoint("ghost", version: 9)]));
        Assert.Null(await store.GetAsync(new TrackId("ghost")));

        var back = NewPoint("ghost", version: 11);
        Assert.Equal([WriteOutcome.Applied], await store.UpsertAsync([back]));
        Assert.Equal(11, (await store.GetAsync(back.Track.Id))!.State.Version);
        Assert.True(await IsSearchableAsync(store, back.Track.Id));
        Assert.Equal([WriteOutcome.Stale], await store.RemoveAsync([new TrackRemoval(back.Track.Id, 10)]));
    }

    [ContractFact]
    public async Task A_pending_track_keeps_its_earlier_vectors_searchable_under_its_new_payload()
    {
        var store = await OpenAsync();
        var point = NewPoint("a", version: 1, artist: "Old Artist");
        await store.UpsertAsync([point]);

        var renamed = point.Track with { Artist = "New Artist" };
        Assert.Equal([WriteOutcome.Applied], await store.MarkPendingAsync([new PendingTrack(renamed, 2)]));

        var record = await store.GetAsync(point.Track.Id, withVectors: true);
        Assert.Equal(TrackStatus.Pending, record!.State.Status);
        Assert.Equal(2, record.State.Version);
        Assert.Equal(Model, record.State.ModelVersion);
        Assert.Equal("New Artist", record.Track.Artist);
        TestTracks.SameVector(point.Vectors.Vector, record.Vectors!.Vector);

        var results = await store.SearchAsync(SimilarityQuery.ForVector(point.Vectors.Vector) with { Filter = new TrackFilter { Artists = ["new artist"] } });
        Assert.Equal("New Artist", Assert.Single(results).Track.Artist);
        Assert.Empty(await store.SearchAsync(SimilarityQuery.ForVector(point.Vectors.Vector) with { Filter = new TrackFilter { Artists = ["Old Artist"] } }));
        Assert.Single(await store.SearchWindowsAsync(new WindowQuery(point.Vectors.Windows[0].Vector)));
    }

    [ContractFact]
    public async Task A_pending_track_without_vectors_is_listed_but_not_searchable()
    {
        var store = await OpenAsync();
        var track = TestTracks.Track("new", "Someone");
        Assert.Equal([WriteOutcome.Applied], await store.MarkPendingAsync([new PendingTrack(track, 1)]));

        var record = await store.GetAsync(track.Id, withVectors: true);
        Assert.Equal(TrackStatus.Pending, record!.State.Status);
        Assert.Null(record.Vectors);
        Assert.Null(record.State.ModelVersion);
        Assert.Equal(0, record.State.Attempts);
        Assert.False(await IsSearchableAsync(store, track.Id));
        Assert.Equal(new StatusCounts(1, 0, 0), await store.CountAsync());
    }

    [ContractFact]
    public async Task A_failed_track_loses_its_vectors_and_records_why()
    {
        var store = await OpenAsync();
        var point = NewPoint("a");
        await store.UpsertAsync([point]);

        Assert.Equal([WriteOutcome.Applied],
            await store.MarkFailedAsync([new TrackFailure(point.Track, 2, "corrupt", "ffmpeg: invalid data found") { Attempts = 3 }]));

        var record = await store.GetAsync(point.Track.Id, withVectors: true);
        Assert.Equal(TrackStatus.Failed, record!.State.Status);
        Assert.Equal("corrupt", record.State.FailureCode);
        Assert.Equal("ffmpeg: invalid data found", record.State.FailureReason);
        Assert.Equal(3, record.State.Attempts);
        Assert.Null(record.Vectors);
        Assert.Null(record.State.ModelVersion);
        Assert.False(await IsSearchableAsync(store, point.Track.Id));
        Assert.Empty(await store.SearchWindowsAsync(new WindowQuery(point.Vectors.Windows[0].Vector)));

        Assert.Equal([WriteOutcome.Applied], await store.UpsertAsync([point with { Version = 3 }]));
        var healed = await store.GetAsync(point.Track.Id);
        Assert.Equal(TrackStatus.Indexed, healed!.State.Status);
        Assert.Null(healed.State.FailureCode);
        Assert.Null(healed.State.FailureReason);
    }

    [ContractFact]
    public async Task Counts_follow_every_status_change()
    {
        var store = await OpenAsync();
        await store.UpsertAsync([NewPoint("a"), NewPoint("b"), NewPoint("c")]);
        await store.MarkPendingAsync([new PendingTrack(TestTracks.Track("d"), 1), new PendingTrack(TestTracks.Track("a"), 2)]);
        await store.MarkFailedAsync([new TrackFailure(TestTracks.Track("e"), 1, "not-found", "missing"), new TrackFailure(TestTracks.Track("b"), 2, "corrupt", "bad")]);
        await store.RemoveAsync([new TrackRemoval(new TrackId("c"), 2), new TrackRemoval(new TrackId("zzz"), 1)]);

        var counts = await store.CountAsync();
        Assert.Equal(new StatusCounts(2, 0, 2), counts);
        Assert.Equal(4, counts.Total);
    }

    [ContractFact]
    public async Task Failures_are_listed_page_by_page_in_id_order()
    {
        var store = await OpenAsync();
        var ids = Enumerable.Range(0, 11).Select(i => $"f{(i * 7) % 11:D2}").ToList();
        await store.MarkFailedAsync([.. ids.Select(id => new TrackFailure(TestTracks.Track(id), 1, "corrupt", $"reason {id}"))]);
        await store.UpsertAsync([NewPoint("f05x"), NewPoint("a")]);
        await store.MarkPendingAsync([new PendingTrack(TestTracks.Track("f99"), 1)]);

        var seen = new List<TrackRecord>();
        TrackId? cursor = null;
        var pages = 0;
        do
        {
            var page = await store.ListAsync(new TrackListQuery { Status = TrackStatus.Failed, After = cursor, Limit = 4 });
            Assert.InRange(page.Items.Count, 1, 4);
            seen.AddRange(page.Items);
            cursor = page.Next;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(ids.Order(StringComparer.Ordinal), seen.Select(r => r.Track.Id.Value));
        Assert.All(seen, r =>
        {
            Assert.Equal(TrackStatus.Failed, r.State.Status);
            Assert.Equal($"reason {r.Track.Id}", r.State.FailureReason);
            Assert.Null(r.Vectors);
        });
    }

    [ContractFact]
    public async Task Listing_without_a_status_returns_every_live_track_and_vectors_when_asked()
    {
        var store = await OpenAsync();
        var points = new[] { NewPoint("b", seed: 1), NewPoint("a", seed: 2), NewPoint("c", seed: 3) };
        await store.UpsertAsync(points);
        await store.MarkFailedAsync([new TrackFailure(TestTracks.Track("d"), 1, "corrupt", "bad")]);
        await store.RemoveAsync([new TrackRemoval(new TrackId("c"), 2)]);

        var first = await store.ListAsync(new TrackListQuery { Limit = 2, WithVectors = true });
        Assert.Equal(["a", "b"], first.Items.Select(r => r.Track.Id.Value));
        TestTracks.SameVector(points[1].Vectors.Vector, first.Items[0].Vectors!.Vector);
        Assert.Equal(new TrackId("b"), first.Next);

        var last = await store.ListAsync(new TrackListQuery { Limit = 2, After = first.Next });
        Assert.Equal(["d"], last.Items.Select(r => r.Track.Id.Value));
        Assert.Null(last.Next);

        var exact = await store.ListAsync(new TrackListQuery { Limit = 3 });
        Assert.Equal(3, exact.Items.Count);
        Assert.Null(exact.Next);
        Assert.Null(exact.Items[0].Vectors);
    }

    [ContractTheory]
    [InlineData(0)]
    [InlineData(TrackListQuery.MaxLimit + 1)]
    public async Task Listing_refuses_a_limit_out_of_range(int limit)
    {
        var store = await OpenAsync();
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.ListAsync(new TrackListQuery { Limit = limit }));
    }

    public static TheoryData<string> InvalidBatches => new() { "wrong dimensions", "NaN", "bad window span", "bad year", "empty failure code", "no id" };

    [ContractTheory]
    [MemberData(nameof(InvalidBatches))]
    public async Task A_batch_with_one_invalid_write_writes_nothing(string problem)
    {
        var store = await OpenAsync();
        var good = NewPoint("good");
        var bad = NewPoint("bad");
        Task write = problem switch
        {
            "wrong dimensions" => store.UpsertAsync([good, TestTracks.Point(bad.Track, TestTracks.Vectors(new Random(1), Dimensions + 1))]),
            "NaN" => store.UpsertAsync([good, bad with { Vectors = bad.Vectors with { Vector = [.. bad.Vectors.Vector[..^1], float.NaN] } }]),
            "bad window span" => store.UpsertAsync([good, bad with { Vectors = bad.Vectors with { Windows = [bad.Vectors.Windows[0] with { DurationSeconds = 0 }] } }]),
            "bad year" => store.UpsertAsync([good, bad with { Track = bad.Track with { Year = 99 } }]),
            "empty failure code" => store.MarkFailedAsync([new TrackFailure(good.Track, 1, "corrupt", "x"), new TrackFailure(bad.Track, 1, " ", "x")]),
            _ => store.RemoveAsync([new TrackRemoval(good.Track.Id, 1), new TrackRemoval(default, 1)]),
        };
        await Assert.ThrowsAnyAsync<ArgumentException>(() => write);
        Assert.Equal(new StatusCounts(0, 0, 0), await store.CountAsync());
        Assert.Null(await store.GetAsync(good.Track.Id));
        Assert.Empty(await SearchAsync(store, good.Vectors.Vector));
    }

    [ContractFact]
    public async Task An_empty_batch_does_nothing()
    {
        var store = await OpenAsync();
        Assert.Empty(await store.UpsertAsync([]));
        Assert.Empty(await store.RemoveAsync([]));
        Assert.Equal(new StatusCounts(0, 0, 0), await store.CountAsync());
    }

    [ContractFact]
    public async Task A_restart_restores_everything_acknowledged()
    {
        var (store, points) = await FilledAsync(30, windows: 3);
        await store.MarkPendingAsync([new PendingTrack(points[0].Track with { Title = "Pending now" }, 2)]);
        await store.MarkFailedAsync([new TrackFailure(points[1].Track, 2, "corrupt", "bad data") { Attempts = 2 }]);
        await store.RemoveAsync([new TrackRemoval(points[2].Track.Id, 2)]);
        var query = SimilarityQuery.ForVector(TestTracks.UnitVector(new Random(5), Dimensions), 20);
        var expectedResults = await store.SearchAsync(query);
        var expectedWindows = await store.SearchWindowsAsync(new WindowQuery(points[5].Vectors.Windows[1].Vector) { Limit = 5 });
        var expectedRecords = (await store.ListAsync(new TrackListQuery { Limit = 100, WithVectors = true })).Items;
        var expectedCounts = await store.CountAsync();

        var reopened = await RestartAsync();

        Assert.Equal(expectedCounts, await reopened.CountAsync());
        var records = (await reopened.ListAsync(new TrackListQuery { Limit = 100, WithVectors = true })).Items;
        Assert.Equal(expectedRecords.Count, records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            TestTracks.SameTrack(expectedRecords[i].Track, records[i].Track);
            Assert.Equal(expectedRecords[i].State, records[i].State);
            Assert.Equal(expectedRecords[i].Vectors is null, records[i].Vectors is null);
            if (records[i].Vectors is { } vectors)
            {
                TestTracks.SameVector(expectedRecords[i].Vectors!.Vector, vectors.Vector);
                Assert.Equal(expectedRecords[i].Vectors!.Windows.Count, vectors.Windows.Count);
            }
        }
        Assert.Equal(expectedResults.Select(r => (r.Track.Id, r.Score)), (await reopened.SearchAsync(query)).Select(r => (r.Track.Id, r.Score)));
        Assert.Equal(expectedWindows.Select(w => (w.Track.Id, w.WindowIndex)),
            (await reopened.SearchWindowsAsync(new WindowQuery(points[5].Vectors.Windows[1].Vector) { Limit = 5 })).Select(w => (w.Track.Id, w.WindowIndex)));
        Assert.Equal([WriteOutcome.Stale], await reopened.UpsertAsync([points[2]]));
    }
}

using Microsoft.Data.Sqlite;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;
using MusicSearch.Core.Storage.Embedded;
using MusicSearch.StoreCrashWriter;
using MusicSearch.Testing;

namespace MusicSearch.Core.Tests.Storage.Embedded;

/// <summary>
/// What survives a writer that dies (SIGKILL at a random moment) or runs out of disk. The writer is a child process
/// (tests/StoreCrashWriter) writing <see cref="CrashBatches"/> and printing "ack N" after each durable batch.
/// </summary>
public sealed class DurabilityTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    [InlineData(23)]
    public async Task A_writer_killed_mid_run_loses_at_most_its_batch_in_flight_and_never_corrupts_the_store(int killAfter)
    {
        using var writer = WriterProcess.Start("write", _directory.Path);
        await writer.WaitForAcknowledgedAsync(killAfter);
        await writer.KillAsync();
        var acknowledged = writer.Acknowledged;
        Assert.True(acknowledged >= killAfter);

        AssertIntact();
        var stored = await ReadBackAsync();
        // The batch after the last acknowledged one may have committed before its line was printed; no other may.
        var matches = new[] { acknowledged, acknowledged + 1 }.Where(count => SameAs(CrashBatches.Expected(count), stored)).ToList();
        Assert.True(matches.Count == 1, $"the store holds {stored.Count} tracks, matching neither {acknowledged} nor {acknowledged + 1} whole batches");
    }

    [Fact]
    public async Task A_full_disk_fails_the_write_as_unavailable_keeps_serving_and_loses_nothing_acknowledged()
    {
        using var writer = WriterProcess.Start("fill", _directory.Path, (512 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, await writer.ReadToExitAsync());
        var acknowledged = writer.Acknowledged;
        Assert.InRange(acknowledged, 1, 200);

        var expected = CrashBatches.Expected(acknowledged);
        Assert.Contains(writer.Lines, line => line.StartsWith("unavailable writing to tracks_crash-test failed", StringComparison.Ordinal));
        Assert.Contains($"indexed {expected.Count}", writer.Lines);
        Assert.Contains($"searchable {expected.Count}", writer.Lines);
        Assert.Contains("still unavailable", writer.Lines);

        AssertIntact();
        Assert.True(SameAs(expected, await ReadBackAsync()), "the store differs from the acknowledged batches");
    }

    [Fact]
    public async Task A_store_directory_is_used_by_one_owner_at_a_time()
    {
        var options = new EmbeddedStoreOptions { Directory = _directory.Path };
        await using (var first = new EmbeddedTrackCollections(options))
        {
            var error = Assert.Throws<TrackStoreUnavailableException>(() => new EmbeddedTrackCollections(options));
            Assert.Contains("another process", error.Message, StringComparison.Ordinal);
        }
        await using var second = new EmbeddedTrackCollections(options);
        Assert.Empty(await second.ListAsync());
    }

    public void Dispose() => _directory.Dispose();

    private static bool SameAs(Dictionary<TrackId, (long Version, float[] Vector)> expected, Dictionary<TrackId, TrackRecord> stored) =>
        expected.Count == stored.Count && expected.All(entry =>
            stored.TryGetValue(entry.Key, out var record) && record.State.Version == entry.Value.Version &&
            record.State.Status == TrackStatus.Indexed && record.Vectors!.Vector.SequenceEqual(entry.Value.Vector));

    /// <summary>Reopens the store and reads every track back, checking on the way that search sees the same tracks.</summary>
    private async Task<Dictionary<TrackId, TrackRecord>> ReadBackAsync()
    {
        await using var collections = new EmbeddedTrackCollections(new EmbeddedStoreOptions { Directory = _directory.Path });
        var store = await collections.OpenAsync(CrashBatches.ModelVersion, CrashBatches.Dimensions);
        var records = new Dictionary<TrackId, TrackRecord>();
        TrackId? cursor = null;
        do
        {
            var page = await store.ListAsync(new TrackListQuery { After = cursor, Limit = TrackListQuery.MaxLimit, WithVectors = true });
            foreach (var record in page.Items)
            {
                records.Add(record.Track.Id, record);
            }
            cursor = page.Next;
        }
        while (cursor is not null);

        var searchable = new List<TrackId>();
        var query = SimilarityQuery.ForVector(CrashBatches.Expected(1).Values.First().Vector, SimilarityQuery.MaxLimit);
        IReadOnlyList<SimilarTrack> results;
        do
        {
            results = await store.SearchAsync(query with { Offset = searchable.Count });
            searchable.AddRange(results.Select(result => result.Track.Id));
        }
        while (results.Count == SimilarityQuery.MaxLimit);
        Assert.Equal(records.Keys.Order(), searchable.Order());
        return records;
    }

    /// <summary>SQLite's own checks on every file, and the full-text index in step with the tracks it indexes.</summary>
    private void AssertIntact()
    {
        foreach (var file in Directory.GetFiles(_directory.Path, "*.db"))
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
            connection.Open();
            Assert.Equal("ok", Scalar(connection, "PRAGMA integrity_check"));
            if (Path.GetFileName(file).StartsWith("tracks_", StringComparison.Ordinal))
            {
                Scalar(connection, "INSERT INTO tracks_text (tracks_text) VALUES ('integrity-check')");
                Assert.Equal(Scalar(connection, "SELECT COUNT(*) FROM tracks WHERE status IS NOT NULL"), Scalar(connection, "SELECT COUNT(*) FROM tracks_text"));
            }
        }
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}

using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage.Embedded;
using MusicSearch.Core.Tests.Storage.Contract;

namespace MusicSearch.Core.Tests.Storage.Embedded;

public sealed class TrackIndexTests
{
    private const int Dimensions = 8;

    [Fact]
    public void Replacing_and_removing_leave_dead_rows_until_compaction_drops_them()
    {
        var random = new Random(1);
        var index = new TrackIndex(Dimensions);
        var vectors = new Dictionary<string, TrackVectors>();
        foreach (var id in new[] { "a", "b", "c", "d" })
        {
            vectors[id] = TestTracks.Vectors(random, Dimensions, windows: 2);
            index.Put(TestTracks.Track(id), vectors[id]);
        }
        vectors["b"] = TestTracks.Vectors(random, Dimensions, windows: 3);
        index.Put(TestTracks.Track("b", "New"), vectors["b"]);
        index.Remove(new TrackId("c"));
        index.Remove(new TrackId("a"));
        index.UpdatePayload(TestTracks.Track("d", "Renamed"));
        index.UpdatePayload(TestTracks.Track("never-added"));

        Assert.Equal(2, index.LiveTracks);
        Assert.True(index.HasDeadRows);
        Assert.Equal(5, index.Tracks.Count);
        // Three dead rows outnumber the two live ones, six dead windows the five live ones.
        Assert.True(index.NeedsCompaction(minimum: 1));
        Assert.True(index.NeedsCompaction(minimum: 5));
        Assert.False(index.NeedsCompaction(minimum: 6));

        var compacted = index.Compacted();
        Assert.False(compacted.HasDeadRows);
        Assert.Equal(2, compacted.Tracks.Count);
        Assert.Equal(5, compacted.Windows.Count);
        Assert.False(compacted.TryGetRow(new TrackId("a"), out _));
        Assert.False(compacted.TryGetRow(new TrackId("c"), out _));
        foreach (var (id, artist) in new[] { ("b", "New"), ("d", "Renamed") })
        {
            Assert.True(compacted.TryGetRow(new TrackId(id), out var row));
            var track = compacted.TrackAt(row)!;
            Assert.Equal(artist, track.Track.Artist);
            TestTracks.SameVector(TestTracks.Normalised(vectors[id].Vector), compacted.Tracks.Row(row).ToArray());
            Assert.Equal(vectors[id].Windows.Count, track.WindowCount);
            for (var w = 0; w < track.WindowCount; w++)
            {
                Assert.Equal(row, compacted.WindowOwner(track.FirstWindow + w));
                Assert.Equal((vectors[id].Windows[w].StartSeconds, vectors[id].Windows[w].DurationSeconds), compacted.WindowSpan(track.FirstWindow + w));
                TestTracks.SameVector(vectors[id].Windows[w].Vector, compacted.Windows.Row(track.FirstWindow + w).ToArray());
            }
        }
    }

    [Fact]
    public void Int8_codes_go_stale_once_the_rows_double_and_survive_compaction()
    {
        var random = new Random(2);
        var index = new TrackIndex(Dimensions);
        for (var i = 0; i < 10; i++)
        {
            index.Put(TestTracks.Track($"t{i}"), TestTracks.Vectors(random, Dimensions, windows: 0));
        }
        Assert.False(index.HasFreshInt8Codes);
        index.CalibrateInt8Codes();
        Assert.True(index.HasFreshInt8Codes);
        Assert.True(index.Compacted().HasFreshInt8Codes);
        for (var i = 10; i < 20; i++)
        {
            index.Put(TestTracks.Track($"t{i}"), TestTracks.Vectors(random, Dimensions, windows: 0));
        }
        Assert.False(index.HasFreshInt8Codes);
        Assert.False(new TrackIndex(Dimensions).Compacted().HasFreshInt8Codes);
    }
}

using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;

namespace MusicSearch.StoreCrashWriter;

/// <summary>
/// The batches the writer process writes, one transaction each, generated the same way in the writer and in the test
/// that checks what survived. Upsert batches add tracks and replace one of the previous batch; every fourth batch
/// removes two earlier tracks instead.
/// </summary>
public static class CrashBatches
{
    public const string ModelVersion = "crash-test";
    public const int Dimensions = 32;
    public const int TracksPerBatch = 16;

    public static Task WriteAsync(ITrackStore store, int batch) =>
        IsRemoval(batch) ? store.RemoveAsync(Removals(batch)) : store.UpsertAsync(Upserts(batch));

    /// <summary>What the collection holds after batches 0 to <paramref name="count"/> − 1: each live track's version and vector.</summary>
    public static Dictionary<TrackId, (long Version, float[] Vector)> Expected(int count)
    {
        var expected = new Dictionary<TrackId, (long, float[])>();
        for (var batch = 0; batch < count; batch++)
        {
            if (IsRemoval(batch))
            {
                foreach (var removal in Removals(batch))
                {
                    expected.Remove(removal.TrackId);
                }
            }
            else
            {
                foreach (var point in Upserts(batch))
                {
                    expected[point.Track.Id] = (point.Version, point.Vectors.Vector);
                }
            }
        }
        return expected;
    }

    private static bool IsRemoval(int batch) => batch % 4 == 3;

    private static TrackId Id(int batch, int track) => new($"b{batch:D5}-{track:D2}");

    private static List<TrackPoint> Upserts(int batch)
    {
        var points = Enumerable.Range(0, TracksPerBatch).Select(i => Point(Id(batch, i), batch, i)).ToList();
        if (batch > 0 && !IsRemoval(batch - 1))
        {
            points.Add(Point(Id(batch - 1, 0), batch, TracksPerBatch));
        }
        return points;
    }

    private static List<TrackRemoval> Removals(int batch) => [new(Id(batch - 1, 3), batch + 1), new(Id(batch - 2, 4), batch + 1)];

    private static TrackPoint Point(TrackId id, int batch, int salt)
    {
        var random = new Random((batch * 1000) + salt);
        float[] Vector() => [.. Enumerable.Range(0, Dimensions).Select(_ => (float)(random.NextDouble() - 0.5))];
        var track = new Track { Id = id, Title = $"Track {id}", Artist = $"Artist {batch % 7}", AudioUri = $"file:///library/{id}.flac" };
        return new TrackPoint(track, new TrackVectors(Vector(), [new WindowVector(0, 30, Vector()), new WindowVector(30, 12.5, Vector())]), batch + 1);
    }
}

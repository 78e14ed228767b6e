using MusicSearch.Core.Storage;
using MusicSearch.Core.Tests.Storage.Contract;

namespace MusicSearch.Core.Tests.Storage.Embedded;

/// <summary>
/// Reads racing with writes: 40 batches of 10 tracks, each tagged with its batch, are written one after another, and
/// each removes the batch before the last; a read that sees every change of a batch or none sees only whole batches
/// (10 tracks, 20 windows per tag), 20 tracks once the writes are over.
/// </summary>
internal static class RollingWrites
{
    /// <summary>
    /// Runs <paramref name="read"/> on two threads until the writes are over and returns how many reads overlapped them.
    /// The writes start only once a read has run, so a busy machine cannot schedule the readers after the race.
    /// </summary>
    public static async Task<int> ReadWhileWritingAsync(ITrackStore store, int dimensions, Func<Task> read)
    {
        var random = new Random(1);
        var batches = Enumerable.Range(0, 40).Select(batch => Enumerable.Range(0, 10).Select(i =>
            TestTracks.Point(TestTracks.Track($"b{batch:D2}-{i}", tags: $"batch-{batch}"), TestTracks.Vectors(random, dimensions))).ToList()).ToList();
        var reads = 0;
        var done = false;
        async Task ReadAsync()
        {
            do
            {
                await read();
                Interlocked.Increment(ref reads);
                // Two readers spinning flat out would starve the writer of the 2 cores for seconds.
                await Task.Delay(1);
            }
            while (!Volatile.Read(ref done));
        }
        var readers = new[] { Task.Run(ReadAsync), Task.Run(ReadAsync) };
        while (Volatile.Read(ref reads) == 0 && !readers.Any(reader => reader.IsCompleted))
        {
            await Task.Delay(1);
        }
        var before = Volatile.Read(ref reads);
        try
        {
            for (var b = 0; b < batches.Count; b++)
            {
                await store.UpsertAsync(batches[b]);
                if (b >= 2)
                {
                    await store.RemoveAsync([.. batches[b - 2].Select(p => new TrackRemoval(p.Track.Id, 2))]);
                }
            }
        }
        finally
        {
            Volatile.Write(ref done, true);
        }
        await Task.WhenAll(readers);
        return reads - before;
    }
}

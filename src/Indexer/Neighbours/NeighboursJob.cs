using System.Text.Json;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;

namespace MusicSearch.Indexer.Neighbours;

/// <summary>How far a neighbours job has got.</summary>
public sealed record NeighboursProgress(long Done, long Total);

/// <summary>
/// The whole catalog's top-K similar tracks in one batch job: pages through the indexed tracks in id order, answers a
/// page of similarity queries at once (<see cref="ITrackStore.SearchBatchAsync"/>), and appends one JSON line per track
/// (<c>{"id":…,"neighbours":[{"id":…,"score":…},…]}</c>) flushed after every page. Because lines come out in id order,
/// a run that was stopped resumes after the last complete line; a state file beside the output makes sure it resumes
/// only the same job (same collection, same query settings).
/// </summary>
public sealed class NeighboursJob(ITrackStore store, Func<TrackId, SimilarityQuery> queryFor, string querySettings, int pageSize = 256)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Writes or continues <paramref name="outputPath"/>; returns how many tracks this run wrote.</summary>
    public async Task<long> RunAsync(string outputPath, bool restart, IProgress<NeighboursProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var state = new JobState(store.Info.Name, querySettings);
        var statePath = outputPath + ".state.json";
        var after = restart ? null : await ResumePointAsync(outputPath, statePath, state, cancellationToken).ConfigureAwait(false);
        if (after is null)
        {
            await File.WriteAllTextAsync(statePath, JsonSerializer.Serialize(state, Json), cancellationToken).ConfigureAwait(false);
        }

        var total = (await store.CountAsync(cancellationToken).ConfigureAwait(false)).Indexed;
        var done = after is null ? 0 : CountLines(outputPath);
        var written = 0L;
        await using var output = new FileStream(outputPath, after is null ? FileMode.Create : FileMode.Append, FileAccess.Write, FileShare.Read);
        await using var writer = new StreamWriter(output) { AutoFlush = false };
        progress?.Report(new NeighboursProgress(done, total));
        while (true)
        {
            var page = await store.ListAsync(new TrackListQuery { Status = TrackStatus.Indexed, After = after, Limit = pageSize }, cancellationToken)
                .ConfigureAwait(false);
            if (page.Items.Count > 0)
            {
                var ids = page.Items.Select(record => record.Track.Id).ToArray();
                var results = await store.SearchBatchAsync(ids.Select(queryFor).ToArray(), cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < ids.Length; i++)
                {
                    var line = new NeighboursLine(ids[i].Value, results[i].Select(match => new Neighbour(match.Track.Id.Value, match.Score)).ToArray());
                    await writer.WriteLineAsync(JsonSerializer.Serialize(line, Json)).ConfigureAwait(false);
                }
                // A page is the unit of progress: flushed and synced, so a resume never sees half of it.
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                output.Flush(flushToDisk: true);
                written += ids.Length;
                done += ids.Length;
                progress?.Report(new NeighboursProgress(done, Math.Max(total, done)));
                after = ids[^1];
            }
            if (page.Next is null)
            {
                return written;
            }
        }
    }

    /// <summary>The id after which to continue, or null to start over (no output yet).</summary>
    private static async Task<TrackId?> ResumePointAsync(string outputPath, string statePath, JobState state, CancellationToken cancellationToken)
    {
        if (!File.Exists(outputPath) || new FileInfo(outputPath).Length == 0)
        {
            return null;
        }
        var previous = File.Exists(statePath)
            ? JsonSerializer.Deserialize<JobState>(await File.ReadAllTextAsync(statePath, cancellationToken).ConfigureAwait(false), Json)
            : null;
        if (previous != state)
        {
            throw new InvalidOperationException(
                $"{outputPath} was written by a different job ({previous?.Collection ?? "unknown collection"}, {previous?.Settings ?? "unknown settings"}); " +
                "use --restart to overwrite it or choose another --out");
        }
        return LastCompleteId(outputPath);
    }

    /// <summary>The id on the last complete line; a partial line after it (the process died mid-write) is cut off.</summary>
    private static TrackId? LastCompleteId(string outputPath)
    {
        using var file = new FileStream(outputPath, FileMode.Open, FileAccess.ReadWrite);
        var end = LastNewline(file);
        file.SetLength(end + 1);
        if (end < 0)
        {
            return null;
        }
        var start = end == 0 ? 0 : LastNewline(file, end - 1) + 1;
        var buffer = new byte[end - start];
        file.Position = start;
        file.ReadExactly(buffer);
        return new TrackId(JsonSerializer.Deserialize<NeighboursLine>(buffer, Json)!.Id);
    }

    private static long LastNewline(FileStream file, long? before = null)
    {
        var position = before ?? file.Length - 1;
        var chunk = new byte[64 * 1024];
        while (position >= 0)
        {
            var start = Math.Max(0, position - chunk.Length + 1);
            file.Position = start;
            var count = (int)(position - start + 1);
            file.ReadExactly(chunk, 0, count);
            var index = Array.LastIndexOf(chunk, (byte)'\n', count - 1, count);
            if (index >= 0)
            {
                return start + index;
            }
            position = start - 1;
        }
        return -1;
    }

    private static long CountLines(string path)
    {
        using var file = File.OpenRead(path);
        var buffer = new byte[64 * 1024];
        long lines = 0;
        int read;
        while ((read = file.Read(buffer)) > 0)
        {
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }
        return lines;
    }

    private sealed record JobState(string Collection, string Settings);

    private sealed record NeighboursLine(string Id, IReadOnlyList<Neighbour> Neighbours);

    private sealed record Neighbour(string Id, float Score);
}

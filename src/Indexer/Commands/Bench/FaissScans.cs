using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using MusicSearch.Core.Vectors;

namespace MusicSearch.Indexer.Commands.Bench;

/// <summary>
/// FAISS on the same vectors and queries: the matrix is written as raw float32 and
/// <c>musicsearch_training.faiss_bench</c> runs in a child process with Debian's interpreter.
/// </summary>
internal static class FaissScans
{
    public sealed record Result(ScanRun Flat, ScanRun Sq8, FaissInfo Info);

    /// <summary>The stored (normalised) rows back to back, as numpy.fromfile reads them.</summary>
    public static void WriteRows(VectorMatrix matrix, string path)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        for (var row = 0; row < matrix.Count; row++)
        {
            file.Write(MemoryMarshal.AsBytes(matrix.Row(row)));
        }
    }

    public static void WriteQueries(float[] queries, string path) => File.WriteAllBytes(path, MemoryMarshal.AsBytes(queries.AsSpan()));

    public static async Task<Result> MeasureAsync(string rowsFile, string queriesFile, int dimensions, VectorBenchSettings settings,
        CancellationToken cancellationToken)
    {
        string[] arguments =
        [
            rowsFile, queriesFile, "--dims", Invariant(dimensions), "--k", Invariant(settings.K), "--repeats", Invariant(settings.Repeats),
            "--single-queries", Invariant(settings.SingleQueries), "--threads", .. settings.ThreadCounts.Select(Invariant),
        ];
        using var report = await TrainingProject.RunModuleAsync("musicsearch_training.faiss_bench", "the FAISS benchmark", arguments, cancellationToken);
        var root = report.RootElement;
        var info = new FaissInfo(root.GetProperty("engine").GetString()!, root.GetProperty("load_seconds").GetDouble(),
            root.GetProperty("sq8_build_seconds").GetDouble(), root.GetProperty("peak_rss_bytes").GetInt64());
        return new Result(Index(root.GetProperty("flat")), Index(root.GetProperty("sq8")), info);
    }

    private static ScanRun Index(JsonElement index)
    {
        var seconds = index.GetProperty("runs").EnumerateArray()
            .Select(run => new ScanSeconds(run.GetProperty("threads").GetInt32(), run.GetProperty("single_seconds_per_query").GetDouble(),
                run.GetProperty("batch_seconds").GetDouble()))
            .ToArray();
        // FAISS pads a short result with -1; those are not rows.
        var ids = index.GetProperty("ids").EnumerateArray()
            .Select(query => query.EnumerateArray().Select(id => id.GetInt32()).Where(id => id >= 0).ToArray())
            .ToArray();
        return new ScanRun(seconds, ids);
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}

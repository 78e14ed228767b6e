using System.Runtime;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Spectre.Console;

namespace MusicSearch.Indexer.Commands.Bench;

/// <summary>
/// One run of the vector benchmark: the memory bandwidth, then for each rows × dims cell our scans and FAISS on the
/// same seeded vectors, then the bandwidth again. Only one copy of a cell's matrix lives at a time: ours is released
/// before FAISS loads its own.
/// </summary>
internal static class VectorBench
{
    public static async Task<VectorBenchReport> RunAsync(VectorBenchSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        var console = CliConsole.For(output);
        IReadOnlyList<MemoryBandwidth> bandwidth = [];
        var runs = new List<CellRuns>();
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("memory bandwidth", maxValue: 1);
                bandwidth = MeasureBandwidth(settings);
                task.Value = 1;
                var warmed = new HashSet<int>();
                foreach (var dimensions in settings.Dimensions)
                {
                    foreach (var rows in settings.Rows)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var cellTask = context.AddTask($"{rows}×{dimensions}", maxValue: 1);
                        if (warmed.Add(dimensions))
                        {
                            OurVectorScans.WarmUp(dimensions, settings);
                        }
                        runs.Add(await RunCellAsync(rows, dimensions, settings, (stage, done) =>
                        {
                            cellTask.Description = Markup.Escape($"{rows}×{dimensions}: {stage}");
                            cellTask.Value = done;
                        }, cancellationToken));
                        cellTask.Description = $"{rows}×{dimensions}";
                        cellTask.Value = 1;
                    }
                }
                // Measured again at the end: the best of both is the machine's limit, less exposed to a busy moment.
                var again = context.AddTask("memory bandwidth, again", maxValue: 1);
                bandwidth = [.. bandwidth.Zip(MeasureBandwidth(settings), (first, second) => first.Best(second))];
                again.Value = 1;
            });
        var report = new VectorBenchReport(settings, Machine(), bandwidth, [.. runs.Select(run => run.Cell(settings, bandwidth))]);
        VectorBenchTable.Write(console, report);
        return report;
    }

    private static List<MemoryBandwidth> MeasureBandwidth(VectorBenchSettings settings)
    {
        var buffer = MemoryBandwidth.CreateBuffer((long)settings.BandwidthBufferMiB << 20);
        return [.. settings.ThreadCounts.Select(threads => MemoryBandwidth.Measure(buffer, threads, repeats: 5))];
    }

    private static async Task<CellRuns> RunCellAsync(int rows, int dimensions, VectorBenchSettings settings, Action<string, double> progress,
        CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("musicsearch-vectors-");
        try
        {
            var queries = RandomUnitVectors.Queries(settings.Queries, dimensions, settings.Seed);
            var rowsFile = Path.Combine(directory.FullName, "rows.f32");
            var queriesFile = Path.Combine(directory.FullName, "queries.f32");
            var ours = MeasureOurs(rows, dimensions, queries, settings, settings.WithFaiss ? (rowsFile, queriesFile) : null, progress);
            ReleaseMemory();

            FaissScans.Result? faiss = null;
            if (settings.WithFaiss)
            {
                progress("FAISS flat + SQ8 (child process)", 0.65);
                faiss = await FaissScans.MeasureAsync(rowsFile, queriesFile, dimensions, settings, cancellationToken);
            }
            return new CellRuns(rows, dimensions, ours, faiss);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>Builds the cell's matrix, writes it for FAISS when asked, and times our scans; the matrix is garbage on return.</summary>
    private static OurVectorScans.Result MeasureOurs(int rows, int dimensions, float[] queries, VectorBenchSettings settings,
        (string Rows, string Queries)? faissFiles, Action<string, double> progress)
    {
        var matrix = RandomUnitVectors.Matrix(rows, dimensions, settings.Seed, settings.Threads, done => progress("random unit vectors", 0.15 * done));
        progress("int8 codes", 0.15);
        matrix.EnableInt8Codes();
        if (faissFiles is { } files)
        {
            progress("writing raw float32 for FAISS", 0.2);
            FaissScans.WriteRows(matrix, files.Rows);
            FaissScans.WriteQueries(queries, files.Queries);
        }
        var stages = 4.0 * settings.ThreadCounts.Count;
        var stage = 0;
        return OurVectorScans.Measure(matrix, queries, settings, name => progress(name, 0.25 + (0.4 * stage++ / stages)));
    }

    /// <summary>Hands the released matrix back to the OS before the FAISS process loads its copy (4 GiB at 1M × 1024).</summary>
    private static void ReleaseMemory()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    /// <summary>One cell's raw timings, turned into the report's units once the bandwidth is final.</summary>
    private sealed record CellRuns(int Rows, int Dimensions, OurVectorScans.Result Ours, FaissScans.Result? Faiss)
    {
        public VectorBenchCell Cell(VectorBenchSettings settings, IReadOnlyList<MemoryBandwidth> bandwidth)
        {
            var fp32Bytes = (long)Rows * Dimensions * sizeof(float);
            var int8Bytes = (long)Rows * Dimensions;
            var scans = new List<ScanCase>();
            foreach (var threads in settings.ThreadCounts)
            {
                var limit = bandwidth.Single(b => b.Threads == threads);
                ScanTiming Single(ScanRun run, long bytes) => ScanTiming.From(run.At(threads).SinglePerQuery, 1, bytes, limit);
                ScanTiming Batched(ScanRun run, long bytes) => ScanTiming.From(run.At(threads).Batch, settings.Queries, bytes, limit);
                scans.Add(new ScanCase("single", threads, Single(Ours.Fp32, fp32Bytes), Single(Ours.Int8, int8Bytes),
                    Faiss is null ? null : Single(Faiss.Flat, fp32Bytes), Faiss is null ? null : Single(Faiss.Sq8, int8Bytes)));
                scans.Add(new ScanCase("batched", threads, Batched(Ours.Fp32, fp32Bytes), Batched(Ours.Int8, int8Bytes),
                    Faiss is null ? null : Batched(Faiss.Flat, fp32Bytes), Faiss is null ? null : Batched(Faiss.Sq8, int8Bytes)));
            }
            var exact = Ours.Fp32.Ids;
            var recall = new RecallAtK(RecallAtK.Of(exact, Ours.Int8.Ids), Faiss is null ? null : RecallAtK.Of(exact, Faiss.Flat.Ids),
                Faiss is null ? null : RecallAtK.Of(exact, Faiss.Sq8.Ids));
            return new VectorBenchCell(Rows, Dimensions, fp32Bytes, int8Bytes, scans, recall, Ours.SingleEqualsBatched, Faiss?.Info);
        }
    }

    private static string Machine()
    {
        var model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{model ?? RuntimeInformation.ProcessArchitecture.ToString()}, {Environment.ProcessorCount} logical CPUs, "
            + $"{RuntimeInformation.OSDescription}, .NET {Environment.Version}, AVX2 {(Avx2.IsSupported ? "yes" : "no")}";
    }
}

using System.Runtime;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Spectre.Console;

namespace MusicSearch.Indexer.Commands.Bench;

/// <summary>
/// One run of the vector benchmark: the memory bandwidth, then for each rows × dims cell our scans and FAISS on the
/// same seeded vectors. Only one copy of a cell's matrix lives at a time: ours is released before FAISS loads its own.
/// </summary>
internal static class VectorBench
{
    public static async Task<VectorBenchReport> RunAsync(VectorBenchSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        var console = CliConsole.For(output);
        var bandwidth = new List<MemoryBandwidth>();
        var cells = new List<VectorBenchCell>();
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("memory bandwidth", maxValue: 1);
                bandwidth.AddRange(MeasureBandwidth(settings));
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
                        cells.Add(await RunCellAsync(rows, dimensions, settings, bandwidth, (stage, done) =>
                        {
                            cellTask.Description = Markup.Escape($"{rows}×{dimensions}: {stage}");
                            cellTask.Value = done;
                        }, cancellationToken));
                        cellTask.Description = $"{rows}×{dimensions}";
                        cellTask.Value = 1;
                    }
                }
            });
        var report = new VectorBenchReport(settings, Machine(), bandwidth, cells);
        VectorBenchTable.Write(console, report);
        return report;
    }

    private static List<MemoryBandwidth> MeasureBandwidth(VectorBenchSettings settings)
    {
        var buffer = MemoryBandwidth.CreateBuffer((long)settings.BandwidthBufferMiB << 20);
        return [.. settings.ThreadCounts.Select(threads => MemoryBandwidth.Measure(buffer, threads, repeats: 5))];
    }

    private static async Task<VectorBenchCell> RunCellAsync(int rows, int dimensions, VectorBenchSettings settings, IReadOnlyList<MemoryBandwidth> bandwidth,
        Action<string, double> progress, CancellationToken cancellationToken)
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
            var fp32Bytes = (long)rows * dimensions * sizeof(float);
            var int8Bytes = (long)rows * dimensions;
            var scans = new List<ScanCase>();
            foreach (var threads in settings.ThreadCounts)
            {
                var limit = bandwidth.Single(b => b.Threads == threads);
                ScanTiming Single(ScanRun run, long bytes) => ScanTiming.From(run.At(threads).SinglePerQuery, 1, bytes, limit);
                ScanTiming Batched(ScanRun run, long bytes) => ScanTiming.From(run.At(threads).Batch, settings.Queries, bytes, limit);
                scans.Add(new ScanCase("single", threads, Single(ours.Fp32, fp32Bytes), Single(ours.Int8, int8Bytes),
                    faiss is null ? null : Single(faiss.Flat, fp32Bytes), faiss is null ? null : Single(faiss.Sq8, int8Bytes)));
                scans.Add(new ScanCase("batched", threads, Batched(ours.Fp32, fp32Bytes), Batched(ours.Int8, int8Bytes),
                    faiss is null ? null : Batched(faiss.Flat, fp32Bytes), faiss is null ? null : Batched(faiss.Sq8, int8Bytes)));
            }
            var exact = ours.Fp32.Ids;
            var recall = new RecallAtK(RecallAtK.Of(exact, ours.Int8.Ids), faiss is null ? null : RecallAtK.Of(exact, faiss.Flat.Ids),
                faiss is null ? null : RecallAtK.Of(exact, faiss.Sq8.Ids));
            return new VectorBenchCell(rows, dimensions, fp32Bytes, int8Bytes, scans, recall, ours.SingleEqualsBatched, faiss?.Info);
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

    private static string Machine()
    {
        var model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{model ?? RuntimeInformation.ProcessArchitecture.ToString()}, {Environment.ProcessorCount} logical CPUs, "
            + $"{RuntimeInformation.OSDescription}, .NET {Environment.Version}, AVX2 {(Avx2.IsSupported ? "yes" : "no")}";
    }
}

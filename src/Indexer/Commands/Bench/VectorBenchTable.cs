using Spectre.Console;

namespace MusicSearch.Indexer.Commands.Bench;

/// <summary>The console view of a <see cref="VectorBenchReport"/>: bandwidth, one timing row per cell × mode × threads, recall.</summary>
internal static class VectorBenchTable
{
    public static void Write(IAnsiConsole console, VectorBenchReport report)
    {
        console.MarkupLine(Markup.Escape(report.Machine));
        foreach (var limit in report.Bandwidth)
        {
            console.MarkupLine($"memory read bandwidth, {limit.Threads} thread(s): [bold]{limit.GigabytesPerSecond:F1}[/] GB/s (streaming sum over {limit.BufferBytes >> 20} MiB)");
        }
        var settings = report.Settings;
        console.MarkupLine(Markup.Escape($"top-{settings.K}, {settings.Queries} queries per batched call, {settings.SingleQueries} timed one call each, "
            + $"int8 oversample {settings.Oversample}, best of {settings.Repeats}; ms/q = milliseconds per query; ratios above 1 mean ours is faster"));

        var timings = new Table().AddColumns("rows × dims", "mode", "threads", "fp32 ms/q", "fp32 GB/s (% bw)", "FAISS flat ms/q", "fp32 vs FAISS",
            "int8 ms/q", "int8 GB/s (% bw)", "FAISS SQ8 ms/q", "int8 vs FAISS", "int8 vs fp32");
        foreach (var cell in report.Cells)
        {
            foreach (var scan in cell.Scans)
            {
                timings.AddRow($"{cell.Rows}×{cell.Dimensions}", scan.Mode, $"{scan.Threads}", Milliseconds(scan.OursFp32), Throughput(scan.OursFp32),
                    Milliseconds(scan.FaissFlat), Ratio(scan.Fp32VersusFaiss), Milliseconds(scan.OursInt8), Throughput(scan.OursInt8),
                    Milliseconds(scan.FaissSq8), Ratio(scan.Int8VersusFaiss), Ratio(scan.Int8SpeedUp));
            }
        }
        console.Write(timings);

        var recall = new Table().AddColumns("rows × dims", $"ours int8 recall@{settings.K}", $"FAISS SQ8 recall@{settings.K}",
            $"FAISS flat recall@{settings.K}", "single = batched (ours)", "FAISS process peak");
        foreach (var cell in report.Cells)
        {
            recall.AddRow($"{cell.Rows}×{cell.Dimensions}", $"{cell.Recall.OursInt8:F4}", Fraction(cell.Recall.FaissSq8), Fraction(cell.Recall.FaissFlat),
                cell.SingleEqualsBatched ? "yes" : "[red]NO[/]", cell.Faiss is { } faiss ? $"{faiss.PeakRssBytes / 1048576.0:F0} MiB" : "–");
        }
        console.Write(recall);
        console.MarkupLine($"recall is against our exact fp32 top-{settings.K}; FAISS flat differs only where float rounding reorders near-ties");
    }

    private static string Milliseconds(ScanTiming? timing) => timing is null ? "–" : $"{timing.MillisecondsPerQuery:F3}";

    private static string Throughput(ScanTiming timing) => $"{timing.GigabytesPerSecond:F1} ({timing.PercentOfBandwidth:F0} %)";

    private static string Ratio(double? ratio) => ratio is { } value ? $"{value:F2}×" : "–";

    private static string Fraction(double? value) => value is { } fraction ? $"{fraction:F4}" : "–";
}

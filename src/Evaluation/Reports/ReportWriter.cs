using MusicSearch.Evaluation.Retrieval;

namespace MusicSearch.Evaluation.Reports;

/// <summary>A chart of the report: its file name in the report folder, its title and the SVG text.</summary>
public sealed record ReportChart(string FileName, string Title, string Svg);

/// <summary>Writes a report folder: <c>report.json</c>, <c>report.md</c> and the SVG charts it links.</summary>
public static class ReportWriter
{
    public const string JsonFile = "report.json";
    public const string MarkdownFile = "report.md";

    /// <returns>The paths written.</returns>
    public static IReadOnlyList<string> Write(EvalReport report, string directory)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(directory);
        var charts = Charts(report);
        var written = new List<string>();
        void Save(string name, string content)
        {
            var path = Path.Combine(directory, name);
            File.WriteAllText(path, content);
            written.Add(path);
        }
        Save(JsonFile, EvalReportJson.Write(report));
        Save(MarkdownFile, MarkdownReport.Write(report, charts));
        foreach (var chart in charts)
        {
            Save(chart.FileName, chart.Svg);
        }
        return written;
    }

    /// <summary>P@k curves per relevance kind (one line per model) and top-1 bars per degradation (one bar per model).</summary>
    public static IReadOnlyList<ReportChart> Charts(EvalReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var charts = new List<ReportChart>();
        var ks = Enumerable.Range(1, RetrievalEvaluator.CurveDepth).Select(k => (double)k).ToArray();
        foreach (var kind in RelevanceKinds.All)
        {
            var title = $"Precision@k, {kind.Label()}";
            var series = report.Models.Select(m => new ChartSeries(m.Version, m.Retrieval[kind.Key()].PrecisionCurve)).ToArray();
            charts.Add(new ReportChart($"precision-at-k-{kind.Key().Replace('_', '-')}.svg", title, SvgCharts.LineChart(title, "k", "precision@k", ks, series)));
        }
        var degradations = report.Settings.Degradations;
        foreach (var (key, label, pick) in new (string, string, Func<Robustness.RobustnessScores, double>)[]
        {
            ("track", "track vectors", r => r.TrackTop1),
            ("window", "best window", r => r.WindowTop1),
        })
        {
            var title = $"Robustness: top-1 source track by {label}";
            var series = report.Models.Select(m => new ChartSeries(m.Version,
                degradations.Select(d => m.Robustness.TryGetValue(d.Id, out var r) ? pick(r) : double.NaN).ToArray())).ToArray();
            charts.Add(new ReportChart($"robustness-{key}-top1.svg", title, SvgCharts.BarChart(title, "top-1 accuracy", degradations.Select(d => d.Label).ToArray(), series)));
        }
        return charts;
    }
}

using System.Text.Json;
using System.Xml.Linq;
using MusicSearch.Evaluation.Reports;

namespace MusicSearch.Evaluation.Tests.Reports;

public sealed class ReportWriterTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "musicsearch-eval-report-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Json_round_trips_every_number_with_NaN_as_null()
    {
        var report = SampleReports.TwoModels();

        var json = EvalReportJson.Write(report);
        var read = EvalReportJson.Read(json);

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal("musicsearch-eval/1", root.GetProperty("schema").GetString());
        var first = root.GetProperty("models")[0];
        Assert.Equal(0.75, first.GetProperty("retrieval").GetProperty("same_artist").GetProperty("map_at_100").GetDouble(), 1e-12);
        Assert.Equal(20, first.GetProperty("retrieval").GetProperty("same_artist").GetProperty("precision_curve").GetArrayLength());
        Assert.Equal(0.6, first.GetProperty("robustness").GetProperty("gain-12db").GetProperty("track_top1").GetDouble());
        Assert.Equal(1440, first.GetProperty("speed").GetProperty("tracks_per_hour").GetDouble());
        var second = root.GetProperty("models")[1];
        Assert.Equal(JsonValueKind.Null, second.GetProperty("same_artist_rate_at_10").ValueKind);
        Assert.Equal(JsonValueKind.Null, second.GetProperty("retrieval").GetProperty("same_artist_album_filtered").GetProperty("ndcg_at_10").ValueKind);

        Assert.Equal(report.Models[0].Retrieval["same_artist"].MapAt100, read.Models[0].Retrieval["same_artist"].MapAt100);
        Assert.Equal(report.Models[0].Retrieval["same_album"].PrecisionCurve, read.Models[0].Retrieval["same_album"].PrecisionCurve);
        Assert.True(double.IsNaN(read.Models[1].SameArtistRateAt10));
        Assert.Equal(report.Models[1].Failures, read.Models[1].Failures);
        Assert.Equal(report.Settings.Degradations, read.Settings.Degradations);
        Assert.Equal(report.ExcerptFailures, read.ExcerptFailures);
        Assert.Equal(json, EvalReportJson.Write(read));
    }

    [Fact]
    public void Reports_of_another_schema_are_refused()
    {
        var json = EvalReportJson.Write(SampleReports.TwoModels()).Replace("musicsearch-eval/1", "musicsearch-eval/0", StringComparison.Ordinal);

        Assert.Throws<JsonException>(() => EvalReportJson.Read(json));
    }

    [Fact]
    public void Folder_holds_json_markdown_and_every_linked_chart()
    {
        var written = ReportWriter.Write(SampleReports.TwoModels(), _directory);

        var markdown = File.ReadAllText(Path.Combine(_directory, ReportWriter.MarkdownFile));
        var charts = written.Where(path => path.EndsWith(".svg", StringComparison.Ordinal)).ToArray();
        Assert.Equal(5, charts.Length);
        foreach (var chart in charts)
        {
            Assert.Contains($"]({Path.GetFileName(chart)})", markdown, StringComparison.Ordinal);
            XDocument.Load(chart);
        }
        Assert.Contains("| model-a | 5 | 0.160 | 0.750 | 0.824 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| model-<b> | 0 | – | – | – |", markdown, StringComparison.Ordinal);
        Assert.Contains("| gain −12 dB | 5 | 0.600 | 1.000 | 0.400 | 0.800 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| model-a | 186 | 5 | 0 | 25 | 0.25 h | 12 s | 2.00 | 1440 | 72.0 | 0.5 s | 30 s | 1.2 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| clean | `pan=mono\\|c0=c0` |", markdown, StringComparison.Ordinal);
        Assert.Contains("`b2` corrupt: broken frame at 3 s", markdown, StringComparison.Ordinal);
        Assert.Contains("No excerpt could be cut from: `b2` excerpt: 7.1 s of samples span 10 s.", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Robustness_chart_has_one_bar_per_model_and_condition_it_measured()
    {
        var charts = ReportWriter.Charts(SampleReports.TwoModels());

        var chart = XDocument.Parse(charts.Single(c => c.FileName == "robustness-track-top1.svg").Svg);
        var values = chart.Descendants().Where(e => e.Attribute("data-value") is not null).Select(e => (string)e.Attribute("data-value")!).ToArray();
        Assert.Equal(["1", "0.6", "0.5"], values);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}

using System.Diagnostics.Metrics;
using MusicSearch.Core.Diagnostics;

namespace MusicSearch.Core.Tests.Diagnostics;

public sealed class PrometheusExporterTests : IDisposable
{
    // A unique meter name per test keeps measurements of parallel tests apart.
    private readonly Meter _meter = new("MusicSearch.Tests.Prometheus." + Guid.NewGuid().ToString("N"));
    private readonly PrometheusExporter _exporter;

    public PrometheusExporterTests() => _exporter = new PrometheusExporter(meter => meter == _meter);

    public void Dispose()
    {
        _exporter.Dispose();
        _meter.Dispose();
    }

    [Fact]
    public void Counters_get_help_type_and_total_suffix_and_sum_per_label_set()
    {
        var counter = _meter.CreateCounter<long>("musicsearch.indexer.tracks.failed", "{track}", "Tracks that could not be indexed.");
        counter.Add(2, new KeyValuePair<string, object?>("reason", "corrupt"), new KeyValuePair<string, object?>("permanent", true));
        counter.Add(1, new KeyValuePair<string, object?>("permanent", true), new KeyValuePair<string, object?>("reason", "corrupt"));
        counter.Add(4, new KeyValuePair<string, object?>("reason", "not-found"), new KeyValuePair<string, object?>("permanent", false));

        Assert.Equal(
            "# HELP musicsearch_indexer_tracks_failed_total Tracks that could not be indexed.\n" +
            "# TYPE musicsearch_indexer_tracks_failed_total counter\n" +
            "musicsearch_indexer_tracks_failed_total{permanent=\"false\",reason=\"not-found\"} 4\n" +
            "musicsearch_indexer_tracks_failed_total{permanent=\"true\",reason=\"corrupt\"} 3\n",
            _exporter.Scrape());
    }

    [Fact]
    public void Histograms_write_cumulative_buckets_with_le_then_sum_and_count_and_the_unit_word()
    {
        var histogram = _meter.CreateHistogram("musicsearch.indexer.decode.duration", "s", "Decode time per track.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1, 10] });
        histogram.Record(0.0625, new KeyValuePair<string, object?>("stage", "decode"));
        histogram.Record(0.1, new KeyValuePair<string, object?>("stage", "decode"));
        histogram.Record(2.5, new KeyValuePair<string, object?>("stage", "decode"));
        histogram.Record(12, new KeyValuePair<string, object?>("stage", "decode"));

        Assert.Equal(
            "# HELP musicsearch_indexer_decode_duration_seconds Decode time per track.\n" +
            "# TYPE musicsearch_indexer_decode_duration_seconds histogram\n" +
            "musicsearch_indexer_decode_duration_seconds_bucket{stage=\"decode\",le=\"0.1\"} 2\n" +
            "musicsearch_indexer_decode_duration_seconds_bucket{stage=\"decode\",le=\"1\"} 2\n" +
            "musicsearch_indexer_decode_duration_seconds_bucket{stage=\"decode\",le=\"10\"} 3\n" +
            "musicsearch_indexer_decode_duration_seconds_bucket{stage=\"decode\",le=\"+Inf\"} 4\n" +
            $"musicsearch_indexer_decode_duration_seconds_sum{{stage=\"decode\"}} {PrometheusExporter.FormatValue(0.0625 + 0.1 + 2.5 + 12)}\n" +
            "musicsearch_indexer_decode_duration_seconds_count{stage=\"decode\"} 4\n",
            _exporter.Scrape());
    }

    [Fact]
    public void Histograms_without_advice_use_the_prometheus_default_buckets_and_no_labels()
    {
        _meter.CreateHistogram<double>("store.duration", "s").Record(0.3);

        var lines = _exporter.Scrape().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("# HELP store_duration_seconds ", lines[0]);
        Assert.Equal("store_duration_seconds_bucket{le=\"0.005\"} 0", lines[2]);
        Assert.Equal("store_duration_seconds_bucket{le=\"0.25\"} 0", lines[7]);
        Assert.Equal("store_duration_seconds_bucket{le=\"0.5\"} 1", lines[8]);
        Assert.Equal("store_duration_seconds_bucket{le=\"+Inf\"} 1", lines[13]);
        Assert.Equal("store_duration_seconds_sum 0.3", lines[14]);
        Assert.Equal("store_duration_seconds_count 1", lines[15]);
    }

    [Fact]
    public void Label_values_and_help_text_are_escaped_and_names_sanitised()
    {
        var counter = _meter.CreateCounter<double>("odd-name.with spaces", description: "line one\nback\\slash \"quoted\"");
        counter.Add(1.5, new KeyValuePair<string, object?>("reason", "said \"no\"\nthen C:\\x"), new KeyValuePair<string, object?>("bad-label", 7));

        Assert.Equal(
            "# HELP odd_name_with_spaces_total line one\\nback\\\\slash \"quoted\"\n" +
            "# TYPE odd_name_with_spaces_total counter\n" +
            "odd_name_with_spaces_total{bad_label=\"7\",reason=\"said \\\"no\\\"\\nthen C:\\\\x\"} 1.5\n",
            _exporter.Scrape());
    }

    [Fact]
    public void Observable_gauges_are_read_at_each_scrape_and_up_down_counters_accumulate()
    {
        var depth = 3;
        _meter.CreateObservableGauge("musicsearch.indexer.in_flight", () => depth, "{message}", "Messages being indexed.");
        var pending = _meter.CreateUpDownCounter<int>("pending");
        pending.Add(5);
        pending.Add(-2);

        Assert.Contains("# TYPE musicsearch_indexer_in_flight gauge\nmusicsearch_indexer_in_flight 3\n", _exporter.Scrape());
        depth = 0;
        var text = _exporter.Scrape();
        Assert.Contains("musicsearch_indexer_in_flight 0\n", text);
        Assert.Contains("# TYPE pending gauge\npending 3\n", text);
    }

    [Fact]
    public void Other_meters_are_not_exported()
    {
        using var other = new Meter("MusicSearch.Tests.Prometheus.Other." + Guid.NewGuid().ToString("N"));
        other.CreateCounter<long>("elsewhere").Add(1);

        Assert.Equal("", _exporter.Scrape());
    }

    [Theory]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(1e21, "1E+21")]
    [InlineData(-0.25, "-0.25")]
    public void Special_values_use_the_format_spellings(double value, string expected) =>
        Assert.Equal(expected, PrometheusExporter.FormatValue(value));
}

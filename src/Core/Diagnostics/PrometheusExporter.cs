using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;

namespace MusicSearch.Core.Diagnostics;

/// <summary>
/// Listens to <see cref="Meter"/>s and renders what they measured in the Prometheus text exposition format
/// (version 0.0.4), for a host's <c>/metrics</c> endpoint. OpenTelemetry's Prometheus exporter and prometheus-net
/// are not available here, so this is the small piece that replaces them.
/// </summary>
/// <remarks>
/// Names follow the usual OpenTelemetry → Prometheus mapping: dots become underscores, the unit is appended as a
/// word (<c>s</c> → <c>_seconds</c>, <c>By</c> → <c>_bytes</c>; annotations such as <c>{track}</c> are dropped),
/// counters end in <c>_total</c>. Counters and up-down counters accumulate; observable instruments and gauges report
/// their latest value, read at each scrape; histograms use the instrument's bucket advice or Prometheus' default
/// buckets (5 ms … 10 s).
/// </remarks>
public sealed class PrometheusExporter : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    // Prometheus type and how measurements combine, by instrument kind.
    private static readonly Dictionary<Type, (string Type, Aggregation Aggregation)> Kinds = new()
    {
        [typeof(Counter<>)] = ("counter", Aggregation.Sum),
        [typeof(ObservableCounter<>)] = ("counter", Aggregation.LastValue),
        [typeof(UpDownCounter<>)] = ("gauge", Aggregation.Sum),
        [typeof(ObservableUpDownCounter<>)] = ("gauge", Aggregation.LastValue),
        [typeof(ObservableGauge<>)] = ("gauge", Aggregation.LastValue),
        [typeof(Gauge<>)] = ("gauge", Aggregation.LastValue),
        [typeof(Histogram<>)] = ("histogram", Aggregation.Histogram),
    };

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, MetricFamily> _families = new(StringComparer.Ordinal);
    private readonly Lock _scrapeLock = new();

    /// <param name="include">Which meters to export; a host passes those its own <see cref="IMeterFactory"/> created, so two hosts in one process stay apart.</param>
    public PrometheusExporter(Func<Meter, bool> include)
    {
        ArgumentNullException.ThrowIfNull(include);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (include(instrument.Meter) && MetricFamily.TryCreate(instrument) is { } created)
            {
                listener.EnableMeasurementEvents(instrument, _families.GetOrAdd(created.Name, created));
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>((_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.Start();
    }

    /// <summary>Reads the observable instruments and returns every family in the text format.</summary>
    public string Scrape()
    {
        var text = new StringBuilder();
        lock (_scrapeLock)
        {
            _listener.RecordObservableInstruments();
            foreach (var family in _families.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                family.WriteTo(text);
            }
        }
        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>A metric name made of <c>[a-zA-Z0-9_:]</c>, not starting with a digit.</summary>
    internal static string SanitizeName(string name, bool allowColon = true)
    {
        var result = new StringBuilder(name.Length + 1);
        foreach (var c in name)
        {
            result.Append(char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':') ? c : '_');
        }
        if (result.Length == 0 || char.IsAsciiDigit(result[0]))
        {
            result.Insert(0, '_');
        }
        return result.ToString();
    }

    internal static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Label values escape backslash, double quote and line feed; HELP text escapes backslash and line feed.</summary>
    internal static string Escape(string value, bool quotes)
    {
        var escaped = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            escaped.Append(c switch
            {
                '\\' => @"\\",
                '\n' => @"\n",
                '"' when quotes => "\\\"",
                _ => c.ToString(),
            });
        }
        return escaped.ToString();
    }

    private enum Aggregation
    {
        Sum,
        LastValue,
        Histogram,
    }

    /// <summary>One instrument: its Prometheus name and type, and one series per distinct label set.</summary>
    private sealed class MetricFamily
    {
        private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);
        private readonly Aggregation _aggregation;
        private readonly string _type;
        private readonly string _help;
        private readonly double[] _buckets;

        private MetricFamily(string name, string type, string help, Aggregation aggregation, double[] buckets)
        {
            Name = name;
            _type = type;
            _help = help;
            _aggregation = aggregation;
            _buckets = buckets;
        }

        public string Name { get; }

        public static MetricFamily? TryCreate(Instrument instrument)
        {
            var definition = instrument.GetType() is { IsGenericType: true } generic ? generic.GetGenericTypeDefinition() : null;
            if (definition is null || !Kinds.TryGetValue(definition, out var kind))
            {
                return null;
            }
            var (type, aggregation) = kind;
            var name = SanitizeName(instrument.Name);
            if (UnitWord(instrument.Unit) is { } unit && !name.EndsWith("_" + unit, StringComparison.Ordinal))
            {
                name += "_" + unit;
            }
            if (type == "counter" && !name.EndsWith("_total", StringComparison.Ordinal))
            {
                name += "_total";
            }
            return new MetricFamily(name, type, instrument.Description ?? "", aggregation, BucketsOf(instrument) ?? DefaultBuckets);
        }

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var series = _series.GetOrAdd(LabelKey(tags), _ => new Series(_buckets.Length));
            lock (series)
            {
                switch (_aggregation)
                {
                    case Aggregation.Sum:
                        series.Value += value;
                        break;
                    case Aggregation.LastValue:
                        series.Value = value;
                        break;
                    default:
                        var bucket = Array.BinarySearch(_buckets, value);
                        // Prometheus buckets are "less than or equal": an exact boundary belongs to its own bucket.
                        series.BucketCounts[bucket >= 0 ? bucket : ~bucket]++;
                        series.Value += value;
                        series.Count++;
                        break;
                }
            }
        }

        public void WriteTo(StringBuilder text)
        {
            text.Append("# HELP ").Append(Name).Append(' ').Append(Escape(_help, quotes: false)).Append('\n');
            text.Append("# TYPE ").Append(Name).Append(' ').Append(_type).Append('\n');
            foreach (var (labels, series) in _series.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                lock (series)
                {
                    if (_aggregation == Aggregation.Histogram)
                    {
                        WriteHistogram(text, labels, series);
                    }
                    else
                    {
                        WriteSample(text, Name, labels, series.Value);
                    }
                }
            }
        }

        private void WriteHistogram(StringBuilder text, string labels, Series series)
        {
            var separator = labels.Length == 0 ? "" : ",";
            long cumulative = 0;
            for (var i = 0; i < _buckets.Length; i++)
            {
                cumulative += series.BucketCounts[i];
                WriteSample(text, Name + "_bucket", $"{labels}{separator}le=\"{FormatValue(_buckets[i])}\"", cumulative);
            }
            WriteSample(text, Name + "_bucket", $"{labels}{separator}le=\"+Inf\"", series.Count);
            WriteSample(text, Name + "_sum", labels, series.Value);
            WriteSample(text, Name + "_count", labels, series.Count);
        }

        private static void WriteSample(StringBuilder text, string name, string labels, double value)
        {
            text.Append(name);
            if (labels.Length > 0)
            {
                text.Append('{').Append(labels).Append('}');
            }
            text.Append(' ').Append(FormatValue(value)).Append('\n');
        }

        /// <summary>The rendered label set, sorted by name: the series' identity and its text at once.</summary>
        private static string LabelKey(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.IsEmpty)
            {
                return "";
            }
            var sorted = tags.ToArray();
            Array.Sort(sorted, (a, b) => string.CompareOrdinal(a.Key, b.Key));
            var key = new StringBuilder();
            foreach (var (name, value) in sorted)
            {
                if (key.Length > 0)
                {
                    key.Append(',');
                }
                var text = value switch
                {
                    null => "",
                    bool flag => flag ? "true" : "false",
                    IFormattable formattable => formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
                    _ => value.ToString() ?? "",
                };
                key.Append(SanitizeName(name, allowColon: false)).Append("=\"").Append(Escape(text, quotes: true)).Append('"');
            }
            return key.ToString();
        }

        private static string? UnitWord(string? unit) => unit switch
        {
            "s" => "seconds",
            "ms" => "milliseconds",
            "By" => "bytes",
            null or "" or "1" => null,
            _ when unit.StartsWith('{') => null,
            _ => SanitizeName(unit, allowColon: false),
        };

        private static double[]? BucketsOf(Instrument instrument)
        {
            IReadOnlyList<double>? advice = instrument switch
            {
                Histogram<double> h => h.Advice?.HistogramBucketBoundaries,
                Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
                Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
                Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
                _ => null,
            };
            return advice is { Count: > 0 } ? [.. advice] : null;
        }
    }

    private sealed class Series(int buckets)
    {
        public double Value { get; set; }

        public long Count { get; set; }

        /// <summary>Per-bucket (not cumulative) counts; the extra last slot holds values above every boundary.</summary>
        public long[] BucketCounts { get; } = new long[buckets + 1];
    }
}

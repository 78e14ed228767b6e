using System.Globalization;
using System.Xml.Linq;

namespace MusicSearch.Evaluation.Reports;

/// <summary>A named sequence of values: one line of a line chart, or one colour of a grouped bar chart. NaN is a missing value.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<double> Values);

/// <summary>
/// The two charts the report needs, as standalone SVG documents: lines over a numeric x axis and grouped bars over
/// categories, on a y axis from 0 to a maximum, with grid, axis labels and a legend. Built as XML, so any text is
/// escaped; coordinates are written in the invariant culture.
/// </summary>
public static class SvgCharts
{
    public const double Width = 760;
    public const double Height = 420;
    public const double Left = 64;
    public const double Right = 200;
    public const double Top = 44;
    public const double Bottom = 64;

    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly string[] Palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];

    public static double PlotWidth => Width - Left - Right;

    public static double PlotHeight => Height - Top - Bottom;

    /// <summary>One polyline (with point markers) per series over <paramref name="x"/>; a NaN value breaks its line.</summary>
    /// <exception cref="ArgumentException">No x values, no series, or a series of another length than <paramref name="x"/>.</exception>
    public static string LineChart(string title, string xLabel, string yLabel, IReadOnlyList<double> x, IReadOnlyList<ChartSeries> series, double yMax = 1)
    {
        ArgumentNullException.ThrowIfNull(x);
        Check(series, x.Count, yMax);
        if (x.Count == 0 || x.Any(v => !double.IsFinite(v)))
        {
            throw new ArgumentException("a line chart needs finite x values", nameof(x));
        }
        var (xMin, xMax) = (x.Min(), x.Max());
        double X(double v) => Left + (xMax == xMin ? PlotWidth / 2 : (v - xMin) / (xMax - xMin) * PlotWidth);

        var root = Frame(title, xLabel, yLabel, yMax);
        foreach (var v in x.Distinct())
        {
            root.Add(Text(X(v), Top + PlotHeight + 18, Format(v), "middle", 11));
        }
        for (var s = 0; s < series.Count; s++)
        {
            var colour = Palette[s % Palette.Length];
            var group = new XElement(Svg + "g", new XAttribute("class", "series"), new XAttribute("data-name", series[s].Name));
            foreach (var run in Runs(series[s].Values))
            {
                var points = string.Join(' ', run.Select(i => $"{Format(X(x[i]))},{Format(Y(series[s].Values[i], yMax))}"));
                group.Add(new XElement(Svg + "polyline", new XAttribute("points", points), new XAttribute("fill", "none"),
                    new XAttribute("stroke", colour), new XAttribute("stroke-width", 2)));
                foreach (var i in run)
                {
                    group.Add(new XElement(Svg + "circle", new XAttribute("cx", Format(X(x[i]))), new XAttribute("cy", Format(Y(series[s].Values[i], yMax))),
                        new XAttribute("r", 2.5), new XAttribute("fill", colour)));
                }
            }
            root.Add(group);
        }
        AddLegend(root, series);
        return Document(root);
    }

    /// <summary>One group of bars per category, one bar per series, each labelled with its value; NaN bars are left out.</summary>
    /// <exception cref="ArgumentException">No categories, no series, or a series of another length than <paramref name="categories"/>.</exception>
    public static string BarChart(string title, string yLabel, IReadOnlyList<string> categories, IReadOnlyList<ChartSeries> series, double yMax = 1)
    {
        ArgumentNullException.ThrowIfNull(categories);
        Check(series, categories.Count, yMax);
        if (categories.Count == 0)
        {
            throw new ArgumentException("a bar chart needs at least one category", nameof(categories));
        }
        var root = Frame(title, "", yLabel, yMax);
        var slot = PlotWidth / categories.Count;
        var barWidth = slot * 0.8 / series.Count;
        // Labels wider than their slot alternate between two rows so neighbours do not overlap.
        var staggered = categories.Count > 1 && categories.Max(c => c.Length) * 6.5 > slot;
        for (var c = 0; c < categories.Count; c++)
        {
            root.Add(Text(Left + (c + 0.5) * slot, Top + PlotHeight + 18 + (staggered && c % 2 == 1 ? 14 : 0), categories[c], "middle", 11));
        }
        for (var s = 0; s < series.Count; s++)
        {
            var group = new XElement(Svg + "g", new XAttribute("class", "series"), new XAttribute("data-name", series[s].Name));
            for (var c = 0; c < categories.Count; c++)
            {
                var value = series[s].Values[c];
                if (double.IsNaN(value))
                {
                    continue;
                }
                var x = Left + c * slot + slot * 0.1 + s * barWidth;
                var y = Y(value, yMax);
                group.Add(new XElement(Svg + "rect", new XAttribute("x", Format(x)), new XAttribute("y", Format(y)),
                    new XAttribute("width", Format(barWidth)), new XAttribute("height", Format(Top + PlotHeight - y)),
                    new XAttribute("fill", Palette[s % Palette.Length]), new XAttribute("data-value", Format(value))));
                group.Add(Text(x + barWidth / 2, y - 3, value.ToString("0.00", CultureInfo.InvariantCulture), "middle", 9));
            }
            root.Add(group);
        }
        AddLegend(root, series);
        return Document(root);
    }

    /// <summary>The y pixel of <paramref name="value"/> (clamped to the plot).</summary>
    public static double Y(double value, double yMax) => Top + PlotHeight * (1 - Math.Clamp(value / yMax, 0, 1));

    private static void Check(IReadOnlyList<ChartSeries> series, int length, double yMax)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (series.Count == 0)
        {
            throw new ArgumentException("a chart needs at least one series", nameof(series));
        }
        foreach (var s in series)
        {
            if (s.Values.Count != length)
            {
                throw new ArgumentException($"series '{s.Name}' has {s.Values.Count} values, the axis {length}", nameof(series));
            }
        }
        if (!(yMax > 0) || !double.IsFinite(yMax))
        {
            throw new ArgumentException($"the y axis maximum must be a positive number, got {yMax}", nameof(yMax));
        }
    }

    private static XElement Frame(string title, string xLabel, string yLabel, double yMax)
    {
        var root = new XElement(Svg + "svg", new XAttribute("width", Width), new XAttribute("height", Height),
            new XAttribute("viewBox", $"0 0 {Width} {Height}"), new XAttribute("font-family", "sans-serif"));
        root.Add(new XElement(Svg + "rect", new XAttribute("width", Width), new XAttribute("height", Height), new XAttribute("fill", "white")));
        root.Add(Text(Width / 2, 24, title, "middle", 15));
        for (var i = 0; i <= 5; i++)
        {
            var value = yMax * i / 5;
            var y = Y(value, yMax);
            root.Add(new XElement(Svg + "line", new XAttribute("x1", Left), new XAttribute("x2", Format(Left + PlotWidth)),
                new XAttribute("y1", Format(y)), new XAttribute("y2", Format(y)), new XAttribute("stroke", i == 0 ? "#333" : "#ddd")));
            root.Add(Text(Left - 6, y + 4, Format(value), "end", 11));
        }
        root.Add(new XElement(Svg + "line", new XAttribute("x1", Left), new XAttribute("x2", Left), new XAttribute("y1", Top),
            new XAttribute("y2", Format(Top + PlotHeight)), new XAttribute("stroke", "#333")));
        root.Add(Text(Left + PlotWidth / 2, Height - 16, xLabel, "middle", 12));
        var yTitle = Text(16, Top + PlotHeight / 2, yLabel, "middle", 12);
        yTitle.Add(new XAttribute("transform", $"rotate(-90 16 {Format(Top + PlotHeight / 2)})"));
        root.Add(yTitle);
        return root;
    }

    private static void AddLegend(XElement root, IReadOnlyList<ChartSeries> series)
    {
        var x = Width - Right + 16;
        for (var s = 0; s < series.Count; s++)
        {
            var y = Top + 8 + s * 20;
            root.Add(new XElement(Svg + "rect", new XAttribute("x", Format(x)), new XAttribute("y", Format(y - 9)), new XAttribute("width", 12),
                new XAttribute("height", 12), new XAttribute("fill", Palette[s % Palette.Length])));
            root.Add(Text(x + 18, y + 1, series[s].Name, "start", 11));
        }
    }

    /// <summary>Index runs of consecutive non-NaN values.</summary>
    private static IEnumerable<int[]> Runs(IReadOnlyList<double> values)
    {
        var run = new List<int>();
        for (var i = 0; i <= values.Count; i++)
        {
            if (i < values.Count && !double.IsNaN(values[i]))
            {
                run.Add(i);
            }
            else if (run.Count > 0)
            {
                yield return [.. run];
                run.Clear();
            }
        }
    }

    private static XElement Text(double x, double y, string text, string anchor, int size) =>
        new(Svg + "text", new XAttribute("x", Format(x)), new XAttribute("y", Format(y)), new XAttribute("text-anchor", anchor),
            new XAttribute("font-size", size), text);

    private static string Document(XElement root) => new XDocument(root).ToString() + "\n";

    private static string Format(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}

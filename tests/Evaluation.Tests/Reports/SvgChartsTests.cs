using System.Globalization;
using System.Xml.Linq;
using MusicSearch.Evaluation.Reports;

namespace MusicSearch.Evaluation.Tests.Reports;

public sealed class SvgChartsTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void Line_chart_places_points_by_value_and_breaks_lines_at_NaN()
    {
        var svg = XDocument.Parse(SvgCharts.LineChart("P@k", "k", "precision", [1, 2, 3, 4],
        [
            new ChartSeries("a", [1, 0.5, 0, 0.25]),
            new ChartSeries("b", [0.5, double.NaN, 0.5, 0.5]),
        ]));

        var series = svg.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "series").ToArray();
        Assert.Equal(["a", "b"], series.Select(g => (string)g.Attribute("data-name")!));
        var a = Points(series[0].Element(Svg + "polyline")!);
        Assert.Equal(4, a.Length);
        Assert.Equal(SvgCharts.Left, a[0].X, 0.01);
        Assert.Equal(SvgCharts.Left + SvgCharts.PlotWidth, a[3].X, 0.01);
        Assert.Equal(SvgCharts.Top, a[0].Y, 0.01);
        Assert.Equal(SvgCharts.Top + SvgCharts.PlotHeight / 2, a[1].Y, 0.01);
        Assert.Equal(SvgCharts.Top + SvgCharts.PlotHeight, a[2].Y, 0.01);
        Assert.Equal(SvgCharts.Left + SvgCharts.PlotWidth / 3, a[1].X, 0.01);

        var b = series[1].Elements(Svg + "polyline").Select(Points).ToArray();
        Assert.Equal([1, 2], b.Select(run => run.Length));
        Assert.Equal(3, series[1].Elements(Svg + "circle").Count());
    }

    [Fact]
    public void Bar_heights_are_proportional_to_values_and_NaN_bars_are_left_out()
    {
        var svg = XDocument.Parse(SvgCharts.BarChart("top-1", "accuracy", ["clean", "mp3"],
        [
            new ChartSeries("a", [1, 0.25]),
            new ChartSeries("b", [double.NaN, 0.5]),
        ]));

        var bars = svg.Descendants(Svg + "rect").Where(r => r.Attribute("data-value") is not null).ToArray();
        Assert.Equal(3, bars.Length);
        foreach (var bar in bars)
        {
            var value = Number(bar, "data-value");
            Assert.Equal(value * SvgCharts.PlotHeight, Number(bar, "height"), 0.01);
            Assert.Equal(SvgCharts.Top + SvgCharts.PlotHeight, Number(bar, "y") + Number(bar, "height"), 0.01);
        }
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "0.25");
    }

    [Fact]
    public void Long_category_labels_alternate_between_two_rows()
    {
        string[] categories = ["noise 20 dB SNR", "MP3 64 kb/s", "tempo +3 %", "gain −12 dB", "clean", "EQ tilt", "tempo −3 %"];
        var svg = XDocument.Parse(SvgCharts.BarChart("top-1", "accuracy", categories, [new ChartSeries("a", [.. categories.Select(_ => 0.5)])]));

        var rows = svg.Descendants(Svg + "text").Where(t => categories.Contains(t.Value)).Select(t => Number(t, "y")).ToArray();
        Assert.Equal(2, rows.Distinct().Count());
        Assert.Equal(rows[0], rows[2]);
        Assert.Equal(rows[0] + 14, rows[1]);
    }

    [Fact]
    public void Text_is_escaped_so_the_document_stays_well_formed()
    {
        var text = SvgCharts.BarChart("a < b & \"c\"", "y", ["<clean>"], [new ChartSeries("model <1> & co", [0.5])]);

        var svg = XDocument.Parse(text);
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "model <1> & co");
        Assert.Contains("&lt;clean&gt;", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Series_of_the_wrong_length_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => SvgCharts.BarChart("t", "y", ["a", "b"], [new ChartSeries("s", [1])]));
        Assert.Throws<ArgumentException>(() => SvgCharts.LineChart("t", "x", "y", [1, 2], []));
        Assert.Throws<ArgumentException>(() => SvgCharts.LineChart("t", "x", "y", [1], [new ChartSeries("s", [1])], yMax: 0));
    }

    private static (double X, double Y)[] Points(XElement polyline) =>
        ((string)polyline.Attribute("points")!).Split(' ')
            .Select(p => p.Split(','))
            .Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture)))
            .ToArray();

    private static double Number(XElement element, string attribute) => double.Parse((string)element.Attribute(attribute)!, CultureInfo.InvariantCulture);
}

using System.Text.RegularExpressions;
using MusicSearch.Web.ApiClient;
using MusicSearch.Web.Components.Shared;
using MusicSearch.Web.Visuals;

namespace MusicSearch.Web.Tests.Components;

public sealed partial class ChartTests
{
    private static readonly double[] Scores = [1.0, 0.75, 0.5];

    private static SimilarityExplanation Explanation(WindowPair? best) => new(
        Sample.Track("a", "Alpha"), Sample.Track("b", "Beta"), 0.9, 0.8,
        [Sample.Window(0), Sample.Window(1), Sample.Window(2)],
        [Sample.Window(0), Sample.Window(1)],
        [[0.6, 0.7], [0.8, 0.95], [0.65, 0.9]],
        best);

    [Fact]
    public async Task The_heatmap_has_a_cell_per_window_pair_and_outlines_the_best_one()
    {
        var best = new WindowPair(Sample.Window(1), Sample.Window(1), 0.95, 0.9);
        var html = await Render.HtmlAsync<Heatmap>(
            ("Explanation", Explanation(best)), ("CellHref", (Func<int, int, string>)((a, b) => $"compare?wa={a}&wb={b}")));

        Assert.Equal(6, Render.Count(html, "class=\"cell"));
        // Best pair: row 1 (A's second window), column 1 (B's second window), cells 56 px square from (52, 22).
        var rect = BestRect().Match(html);
        Assert.True(rect.Success, html);
        Assert.Equal(("109.5", "79.5"), (rect.Groups["x"].Value, rect.Groups["y"].Value));
        Assert.Contains("Best pair: A at 0:30 with B at 0:30, score 0.950.", html);
        Assert.Contains("A 0:30–1:00 × B 0:30–1:00: score 0.950", html);
        // Brightest colour for the best score, darkest for the least.
        Assert.Contains("fill=\"#fde725\"><title>A 0:30–1:00 × B 0:30–1:00", html);
        Assert.Contains("fill=\"#440154\"><title>A 0:00–0:30 × B 0:00–0:30", html);
        Assert.Contains("href=\"compare?wa=2&wb=1\"", html);
    }

    [Fact]
    public async Task Without_a_best_pair_the_heatmap_says_so_and_outlines_nothing()
    {
        var html = await Render.HtmlAsync<Heatmap>(("Explanation", Explanation(null)), ("CellHref", (Func<int, int, string>)((_, _) => "#")));
        Assert.DoesNotContain("best-pair", html);
        Assert.Contains("One of the tracks has no windows.", html);
    }

    [Fact]
    public async Task The_scatter_links_every_point_and_offers_zoom_and_pan_links()
    {
        Scatter.Point[] points = [new(100, 100, "One", "tracks/1", "rock"), new(900, 800, "Two", "tracks/2", "jazz"), new(500, 500, "Three", "tracks/3", "rock")];
        var html = await Render.HtmlAsync<Scatter>(
            ("Points", points), ("View", Viewport.Whole.Zoom(2)), ("Title", "Map"),
            ("ViewHref", (Func<Viewport?, string>)(view => $"map?view={view?.ToString() ?? "VIEW"}")));

        Assert.Contains("viewBox=\"250 250 500 500\"", html);
        Assert.Contains("<a href=\"tracks/2\" aria-label=\"Two\">", html);
        // y grows upwards on the map: 800 is drawn at 200.
        Assert.Contains("cx=\"900\" cy=\"200\" r=\"4.5\"", html);
        Assert.Contains("href=\"map?view=375,375,250,250\" data-zoom=\"2\" aria-label=\"Zoom in\"", html);
        Assert.Contains("href=\"map?view=0,0,1000,1000\" data-zoom=\"0.5\"", html);
        Assert.Contains("href=\"map?view=0,250,500,500\" data-pan=\"-0.5,0\"", html);
        Assert.Contains("data-href-template=\"map?view=VIEW\"", html);
        Assert.Equal(2, Render.Count(html, "fill=\"#4e79a7\""));
        Assert.Contains("rock <span class=\"muted\">(2)</span>", html);
    }

    [Fact]
    public async Task The_line_chart_plots_one_point_per_value()
    {
        var html = await Render.HtmlAsync<LineChart>(("Values", Scores), ("Label", "Scores"));
        Assert.Contains("points=\"8,8 300,45 592,82\"", html);
        Assert.Equal(3, Render.Count(html, "<circle"));
        Assert.Contains("aria-label=\"Scores\"", html);
    }

    [Fact]
    public async Task The_counts_bar_splits_by_status()
    {
        var html = await Render.HtmlAsync<CountsBar>(("Counts", new StatusCounts(Pending: 1, Indexed: 2, Failed: 1, Total: 4)));
        Assert.Contains("class=\"indexed\" x=\"0\" y=\"0\" width=\"200\"", html);
        Assert.Contains("class=\"pending\" x=\"200\" y=\"0\" width=\"100\"", html);
        Assert.Contains("class=\"failed\" x=\"300\" y=\"0\" width=\"100\"", html);
        Assert.Contains("aria-label=\"2 indexed, 1 pending, 1 failed of 4\"", html);
    }

    [Theory]
    [InlineData(null, "src=\"http://api.test/p?sig=1\"", "preload=\"none\"")]
    [InlineData(42.5, "src=\"http://api.test/p?sig=1#t=42.5\"", "data-start=\"42.5\"")]
    public async Task The_player_starts_at_its_offset_with_a_media_fragment(double? start, string source, string other)
    {
        var html = await Render.HtmlAsync<AudioPlayer>(("Source", "http://api.test/p?sig=1"), ("Label", "Preview of X"), ("StartSeconds", start));
        Assert.Contains(source, html);
        Assert.Contains(other, html);
        Assert.Contains("aria-label=\"Preview of X\"", html);
        Assert.Contains("controls", html);
    }

    [GeneratedRegex("<rect class=\"best\" data-testid=\"best-pair\" x=\"(?<x>[^\"]+)\" y=\"(?<y>[^\"]+)\"")]
    private static partial Regex BestRect();
}

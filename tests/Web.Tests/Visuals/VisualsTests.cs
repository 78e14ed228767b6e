using MusicSearch.Web.Visuals;

namespace MusicSearch.Web.Tests.Visuals;

public sealed class VisualsTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1,2,3")]
    [InlineData("a,b,c,d")]
    [InlineData("NaN,0,10,10")]
    public void A_missing_or_malformed_view_shows_the_whole_plot(string? text)
    {
        Assert.Equal(Viewport.Whole, Viewport.Parse(text));
    }

    [Fact]
    public void Zooming_keeps_the_centre_and_round_trips_through_the_query_string()
    {
        var view = Viewport.Whole.Zoom(2);
        Assert.Equal(new Viewport(250, 250, 500, 500), view);
        Assert.Equal("250,250,500,500", view.ToString());
        Assert.Equal(view, Viewport.Parse(view.ToString()));
        Assert.Equal(Viewport.Whole, view.Zoom(0.5));
    }

    [Fact]
    public void Views_stay_inside_the_plot_and_above_the_smallest_size()
    {
        Assert.Equal(new Viewport(500, 250, 500, 500), Viewport.Whole.Zoom(2).Pan(5, 0));
        Assert.Equal(new Viewport(0, 0, 1000, 1000), Viewport.Parse("-300,-300,5000,5000"));
        Assert.Equal(Viewport.MinimumSize, Viewport.Whole.Zoom(1e6).Width);
    }

    [Fact]
    public void The_colour_scale_spans_the_values_it_is_given()
    {
        var scale = ColorScale.Over([0.6, 0.9, double.NaN, 0.75]);
        Assert.Equal((0.6, 0.9), (scale.Minimum, scale.Maximum));
        Assert.Equal("#440154", scale.ColorOf(0.6));
        Assert.Equal("#fde725", scale.ColorOf(0.9));
        Assert.Equal("#21918c", scale.ColorOf(0.75));
        Assert.Equal("#fde725", scale.ColorOf(5));
        Assert.Equal("#21918c", ColorScale.Over([0.7]).ColorOf(0.7));
    }

    [Fact]
    public void The_palette_names_the_most_frequent_groups_and_pools_the_rest()
    {
        var groups = Enumerable.Range(0, 12).SelectMany(i => Enumerable.Repeat($"g{i:00}", 20 - i)).ToArray();
        var palette = Palette.For(groups);
        Assert.Equal(10, palette.Legend.Count);
        Assert.Equal(("g00", 20), (palette.Legend[0].Group, palette.Legend[0].Count));
        Assert.Equal((Palette.Other, Palette.OtherColor, 11 + 10 + 9), palette.Legend[^1]);
        Assert.Equal(Palette.OtherColor, palette.ColorOf("g11"));
        Assert.NotEqual(palette.ColorOf("g00"), palette.ColorOf("g01"));
    }

    [Theory]
    [InlineData(0.0, "0:00")]
    [InlineData(75.4, "1:15")]
    [InlineData(3725.0, "1:02:05")]
    [InlineData(double.NaN, "–")]
    [InlineData(null, "–")]
    public void Durations_read_as_clock_times(double? seconds, string expected)
    {
        Assert.Equal(expected, Format.Duration(seconds));
    }

    [Fact]
    public void A_start_offset_becomes_a_media_fragment()
    {
        Assert.Equal("http://api/audio/x?exp=1&sig=2#t=30", Format.StartingAt("http://api/audio/x?exp=1&sig=2", 30));
        Assert.Equal("http://api/audio/x", Format.StartingAt("http://api/audio/x", 0));
        Assert.Equal("http://api/audio/x", Format.StartingAt("http://api/audio/x", null));
    }
}

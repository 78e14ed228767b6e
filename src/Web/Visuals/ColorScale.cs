using System.Globalization;

namespace MusicSearch.Web.Visuals;

/// <summary>
/// A sequential colour scale (viridis stops, perceptually even and readable by most colour-blind people) over a value
/// range, so the heatmap shows contrast within the range the matrix actually spans.
/// </summary>
public sealed class ColorScale
{
    private static readonly (byte R, byte G, byte B)[] Stops =
    [
        (0x44, 0x01, 0x54), (0x3b, 0x52, 0x8b), (0x21, 0x91, 0x8c), (0x5e, 0xc9, 0x62), (0xfd, 0xe7, 0x25),
    ];

    public ColorScale(double minimum, double maximum)
    {
        Minimum = minimum;
        Maximum = maximum;
    }

    public double Minimum { get; }

    public double Maximum { get; }

    /// <summary>Spans the finite values given; a single value gets the middle colour.</summary>
    public static ColorScale Over(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var value in values.Where(double.IsFinite))
        {
            min = Math.Min(min, value);
            max = Math.Max(max, value);
        }
        return double.IsFinite(min) ? new ColorScale(min, max) : new ColorScale(0, 1);
    }

    /// <summary>The colour of <paramref name="value"/> as <c>#rrggbb</c>.</summary>
    public string ColorOf(double value)
    {
        var t = Maximum > Minimum ? Math.Clamp((value - Minimum) / (Maximum - Minimum), 0, 1) : 0.5;
        var position = t * (Stops.Length - 1);
        var low = Math.Min((int)position, Stops.Length - 2);
        var f = position - low;
        var (a, b) = (Stops[low], Stops[low + 1]);
        return string.Create(CultureInfo.InvariantCulture, $"#{Mix(a.R, b.R, f):x2}{Mix(a.G, b.G, f):x2}{Mix(a.B, b.B, f):x2}");
    }

    private static int Mix(byte from, byte to, double f) => (int)Math.Round(from + (to - from) * f);
}

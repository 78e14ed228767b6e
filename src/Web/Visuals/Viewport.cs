using System.Globalization;

namespace MusicSearch.Web.Visuals;

/// <summary>
/// The visible part of a plot in its own 0–<see cref="Extent"/> coordinates, carried in the query string as
/// <c>view=x,y,width,height</c> so that zooming and panning are plain links that work without JavaScript.
/// </summary>
public sealed record Viewport(double X, double Y, double Width, double Height)
{
    public const double Extent = 1000;

    /// <summary>How far in one can zoom: a 64th of the plot.</summary>
    public const double MinimumSize = Extent / 64;

    public static Viewport Whole { get; } = new(0, 0, Extent, Extent);

    /// <summary>The viewport of a <c>view</c> parameter; anything malformed or out of range shows the whole plot.</summary>
    public static Viewport Parse(string? text)
    {
        var parts = text?.Split(',');
        if (parts is not { Length: 4 })
        {
            return Whole;
        }
        var values = new double[4];
        for (var i = 0; i < 4; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
            {
                return Whole;
            }
        }
        return new Viewport(values[0], values[1], values[2], values[3]).Clamped();
    }

    public bool IsWhole => this == Whole;

    /// <summary>Zoomed by <paramref name="factor"/> (2 = twice as close) about the centre.</summary>
    public Viewport Zoom(double factor)
    {
        var width = Width / factor;
        var height = Height / factor;
        return new Viewport(X + (Width - width) / 2, Y + (Height - height) / 2, width, height).Clamped();
    }

    /// <summary>Moved by fractions of its own size (1, 0 = one width to the right).</summary>
    public Viewport Pan(double right, double down) => new Viewport(X + right * Width, Y + down * Height, Width, Height).Clamped();

    /// <summary>Whether a point lies inside, so that off-screen points need not be rendered.</summary>
    public bool Contains(double x, double y) => x >= X && x <= X + Width && y >= Y && y <= Y + Height;

    public override string ToString() => string.Join(',', new[] { X, Y, Width, Height }.Select(Format.Svg));

    /// <summary>Kept square-sized between <see cref="MinimumSize"/> and the whole plot, and inside it.</summary>
    private Viewport Clamped()
    {
        var size = Math.Clamp(Math.Max(Width, Height), MinimumSize, Extent);
        return new Viewport(Math.Clamp(X, 0, Extent - size), Math.Clamp(Y, 0, Extent - size), size, size);
    }
}

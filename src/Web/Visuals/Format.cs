using System.Globalization;

namespace MusicSearch.Web.Visuals;

/// <summary>How numbers read in the UI and in SVG attributes (always invariant: SVG has no locale).</summary>
public static class Format
{
    /// <summary>A time offset or length as m:ss (h:mm:ss from an hour on).</summary>
    public static string Duration(double? seconds)
    {
        if (seconds is not { } value || !double.IsFinite(value) || value < 0)
        {
            return "–";
        }
        var time = TimeSpan.FromSeconds(Math.Round(value));
        return time.TotalHours >= 1
            ? time.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
            : time.ToString(@"m\:ss", CultureInfo.InvariantCulture);
    }

    public static string Score(double score) => score.ToString("0.000", CultureInfo.InvariantCulture);

    public static string Percent(double fraction) => fraction.ToString("0%", CultureInfo.InvariantCulture);

    /// <summary>A coordinate or length for an SVG attribute.</summary>
    public static string Svg(double value) => Math.Round(value, 3).ToString(CultureInfo.InvariantCulture);

    /// <summary>A media-fragment start (<c>#t=</c>) appended to a preview URL, so the player starts there.</summary>
    public static string StartingAt(string source, double? seconds) =>
        seconds is > 0 ? $"{source}#t={seconds.Value.ToString("0.###", CultureInfo.InvariantCulture)}" : source;
}

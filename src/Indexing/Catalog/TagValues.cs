using System.Globalization;

namespace MusicSearch.Indexing.Catalog;

/// <summary>Turns the loose values of tags and manifest cells into track fields.</summary>
internal static class TagValues
{
    private static readonly char[] KeywordSeparators = [';', '|'];

    /// <summary>The year of a date-like value: "1998", "1998-04-02", "1998/04"; null when there is none.</summary>
    public static int? Year(string? value) =>
        value is { Length: >= 4 } && int.TryParse(value.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            && year is >= 1000 and <= 9999 && (value.Length == 4 || !char.IsAsciiDigit(value[4]))
            ? year
            : null;

    /// <summary>Keywords separated by ';' or '|', trimmed, empty ones dropped, duplicates (ignoring case) removed.</summary>
    public static IReadOnlyList<string> Keywords(string value) =>
        value.Split(KeywordSeparators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .DistinctBy(keyword => keyword.ToLowerInvariant())
            .ToArray();
}

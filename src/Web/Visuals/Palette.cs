namespace MusicSearch.Web.Visuals;

/// <summary>
/// Categorical colours for the catalog map: the most frequent groups get distinct colours (Tableau 10), the rest share
/// a grey "other", so the legend stays readable on a large catalog.
/// </summary>
public sealed class Palette
{
    public const string Other = "other";
    public const string OtherColor = "#9aa0a6";

    private static readonly string[] Colors =
        ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f"];

    private readonly Dictionary<string, string> _colors;

    private Palette(Dictionary<string, string> colors, IReadOnlyList<(string Group, string Color, int Count)> legend)
    {
        _colors = colors;
        Legend = legend;
    }

    /// <summary>The groups in the legend's order (most frequent first, "other" last) with their colours and sizes.</summary>
    public IReadOnlyList<(string Group, string Color, int Count)> Legend { get; }

    public static Palette For(IEnumerable<string> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var counted = groups.GroupBy(group => group, StringComparer.Ordinal)
            .Select(group => (Group: group.Key, Count: group.Count()))
            .OrderByDescending(group => group.Count).ThenBy(group => group.Group, StringComparer.Ordinal)
            .ToList();
        var named = counted.Take(Colors.Length).Select((group, i) => (group.Group, Color: Colors[i], group.Count)).ToList();
        var colors = named.ToDictionary(group => group.Group, group => group.Color, StringComparer.Ordinal);
        var rest = counted.Skip(Colors.Length).Sum(group => group.Count);
        if (rest > 0)
        {
            named.Add((Other, OtherColor, rest));
        }
        return new Palette(colors, named);
    }

    public string ColorOf(string group) => _colors.GetValueOrDefault(group, OtherColor);
}

using MusicSearch.Evaluation.Statistics;

namespace MusicSearch.Evaluation.Neighbourhood;

/// <summary>
/// How evenly the catalog appears in its own top-k lists.
/// </summary>
/// <param name="K">List length counted.</param>
/// <param name="Skewness">
/// Skewness of the k-occurrence distribution N_k(x) (how many top-k lists contain x). Near 0 when every track is
/// recommended about k times; large and positive when a few "hubs" appear in many lists and many tracks in none.
/// </param>
/// <param name="Coverage">Share of the catalog that appears in at least one top-k list.</param>
/// <param name="MaxOccurrence">The largest N_k: how many lists the biggest hub is in.</param>
public sealed record HubnessResult(int K, double Skewness, double Coverage, int MaxOccurrence);

public static class Hubness
{
    /// <summary>
    /// N_k over <paramref name="catalog"/> from each track's list (only its first <paramref name="k"/> results
    /// count). Tracks that appear in no list still count, with N_k = 0.
    /// </summary>
    /// <exception cref="ArgumentException">The catalog is empty or a list names a track outside it.</exception>
    public static HubnessResult Measure(IReadOnlyList<string> catalog, IEnumerable<IReadOnlyList<string>> lists, int k)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(lists);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        if (catalog.Count == 0)
        {
            throw new ArgumentException("hubness needs a catalog of at least one track", nameof(catalog));
        }
        var index = new Dictionary<string, int>(catalog.Count, StringComparer.Ordinal);
        foreach (var id in catalog)
        {
            if (!index.TryAdd(id, index.Count))
            {
                throw new ArgumentException($"the catalog lists '{id}' twice", nameof(catalog));
            }
        }
        var occurrences = new double[catalog.Count];
        foreach (var list in lists)
        {
            for (var i = 0; i < Math.Min(k, list.Count); i++)
            {
                occurrences[index.TryGetValue(list[i], out var position) ? position
                    : throw new ArgumentException($"a list names '{list[i]}', which is not in the catalog", nameof(lists))]++;
            }
        }
        var covered = occurrences.Count(n => n > 0);
        return new HubnessResult(k, Moments.Skewness(occurrences), (double)covered / catalog.Count, (int)occurrences.Max());
    }
}

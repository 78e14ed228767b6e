using System.Runtime.InteropServices;
using MusicSearch.Core.Vectors;

namespace MusicSearch.Core.Storage.Embedded;

/// <summary>
/// Top-k searches whose results are thinned after scoring (at most N per artist, N windows per track): fetch more
/// candidates than needed, keep the ones their group still has room for, and fetch four times more until enough are
/// kept or every admitted row was seen. Exact: what is kept is the first acceptable part of the full ranking.
/// </summary>
internal static class WideningSearch
{
    /// <param name="needed">How many matches are wanted.</param>
    /// <param name="rows">The matrix's row count, the most one search can return.</param>
    /// <param name="maxPerGroup">At most this many matches of one group; null keeps every match.</param>
    /// <param name="search">Fills the array with the top matches, best first, and returns how many.</param>
    /// <param name="groupOf">The group of a row; rows of a null group are not limited.</param>
    public static List<VectorMatch> Run<TKey>(int needed, int rows, int? maxPerGroup, Func<int, VectorMatch[], int> search, Func<int, TKey?> groupOf)
        where TKey : notnull
    {
        var kept = new List<VectorMatch>();
        var k = Math.Min(rows, maxPerGroup is null ? needed : needed * 4);
        while (k > 0)
        {
            var matches = new VectorMatch[k];
            var found = search(k, matches);
            kept = Keep(matches.AsSpan(0, found), needed, maxPerGroup, groupOf);
            if (kept.Count == needed || found < k || k == rows)
            {
                break;
            }
            k = (int)Math.Min(rows, 4L * k);
        }
        return kept;
    }

    /// <summary>
    /// The first <paramref name="needed"/> of <paramref name="matches"/> (best first) that <paramref name="admit"/>
    /// accepts (all when null) and whose group still has room.
    /// </summary>
    public static List<VectorMatch> Keep<TKey>(ReadOnlySpan<VectorMatch> matches, int needed, int? maxPerGroup, Func<int, TKey?> groupOf,
        Func<VectorMatch, bool>? admit = null)
        where TKey : notnull
    {
        var kept = new List<VectorMatch>(Math.Min(needed, matches.Length));
        var perGroup = new Dictionary<TKey, int>();
        for (var i = 0; i < matches.Length && kept.Count < needed; i++)
        {
            var match = matches[i];
            if (admit is not null && !admit(match))
            {
                continue;
            }
            if (maxPerGroup is { } max && groupOf(match.Row) is { } group)
            {
                ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(perGroup, group, out _);
                if (count == max)
                {
                    continue;
                }
                count++;
            }
            kept.Add(match);
        }
        return kept;
    }
}

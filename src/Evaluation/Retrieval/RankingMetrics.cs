namespace MusicSearch.Evaluation.Retrieval;

/// <summary>
/// Binary-relevance ranking metrics on one ranked list, given as the relevance of each result in rank order
/// (index 0 is rank 1) and the number of relevant items among all candidates, ranked or not.
/// <para>
/// Conventions (the usual IR/MIR ones; the report repeats them): P@k divides by k even when fewer than k results
/// exist or fewer than k are relevant; AP@n averages the precision at the rank of each relevant result within the
/// first n and divides by min(relevant, n), so a list that puts every reachable relevant item first scores 1;
/// nDCG@k uses the gain 1/log2(rank + 1) and the ideal list of min(relevant, k) relevant results.
/// </para>
/// </summary>
public static class RankingMetrics
{
    /// <summary>Relevant results among the first <paramref name="k"/>, divided by <paramref name="k"/>.</summary>
    public static double PrecisionAt(ReadOnlySpan<bool> relevance, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        return (double)Hits(relevance, k) / k;
    }

    /// <summary>AP@<paramref name="depth"/>: Σ over relevant results at rank r ≤ depth of P@r, divided by min(relevant, depth).</summary>
    /// <exception cref="ArgumentException">No relevant item exists, or the list holds more relevant results than exist.</exception>
    public static double AveragePrecisionAt(ReadOnlySpan<bool> relevance, int relevantCount, int depth)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(depth);
        CheckRelevantCount(relevance, relevantCount);
        var hits = 0;
        var sum = 0.0;
        var end = Math.Min(depth, relevance.Length);
        for (var i = 0; i < end; i++)
        {
            if (relevance[i])
            {
                hits++;
                sum += (double)hits / (i + 1);
            }
        }
        return sum / Math.Min(relevantCount, depth);
    }

    /// <summary>nDCG@<paramref name="k"/> with binary gains: Σ rel_r / log2(r + 1) over the first k ranks, over the same sum for an ideal list.</summary>
    /// <exception cref="ArgumentException">No relevant item exists, or the list holds more relevant results than exist.</exception>
    public static double NdcgAt(ReadOnlySpan<bool> relevance, int relevantCount, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        CheckRelevantCount(relevance, relevantCount);
        var dcg = 0.0;
        var end = Math.Min(k, relevance.Length);
        for (var i = 0; i < end; i++)
        {
            if (relevance[i])
            {
                dcg += Discount(i);
            }
        }
        var ideal = 0.0;
        for (var i = 0; i < Math.Min(relevantCount, k); i++)
        {
            ideal += Discount(i);
        }
        return dcg / ideal;
    }

    /// <summary>Relevant results among the first <paramref name="k"/> (or all, if the list is shorter).</summary>
    public static int Hits(ReadOnlySpan<bool> relevance, int k)
    {
        var hits = 0;
        var end = Math.Min(k, relevance.Length);
        for (var i = 0; i < end; i++)
        {
            if (relevance[i])
            {
                hits++;
            }
        }
        return hits;
    }

    /// <summary>1/log2(rank + 1) for the result at zero-based position <paramref name="index"/>.</summary>
    private static double Discount(int index) => 1.0 / Math.Log2(index + 2);

    private static void CheckRelevantCount(ReadOnlySpan<bool> relevance, int relevantCount)
    {
        if (relevantCount < 1)
        {
            throw new ArgumentException($"AP and nDCG need at least one relevant item, got {relevantCount}; leave such queries out", nameof(relevantCount));
        }
        var listed = Hits(relevance, relevance.Length);
        if (listed > relevantCount)
        {
            throw new ArgumentException($"the list holds {listed} relevant results but only {relevantCount} relevant items exist", nameof(relevantCount));
        }
    }
}

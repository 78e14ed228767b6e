using MusicSearch.Evaluation.Retrieval;

namespace MusicSearch.Evaluation.Tests.Retrieval;

public sealed class RankingMetricsTests
{
    private const double Tolerance = 1e-9;

    private static readonly bool[] HitsAtOneAndThree = [true, false, true, false, false, false, false, false, false, false];

    [Fact]
    public void Precision_counts_hits_in_the_first_k_over_k()
    {
        Assert.Equal(0.2, RankingMetrics.PrecisionAt(HitsAtOneAndThree, 10), Tolerance);
        Assert.Equal(1.0, RankingMetrics.PrecisionAt(HitsAtOneAndThree, 1), Tolerance);
        Assert.Equal(0.5, RankingMetrics.PrecisionAt(HitsAtOneAndThree, 2), Tolerance);
        Assert.Equal(2.0 / 3, RankingMetrics.PrecisionAt(HitsAtOneAndThree, 3), Tolerance);
    }

    [Fact]
    public void Precision_divides_by_k_even_when_the_list_is_shorter()
    {
        Assert.Equal(0.1, RankingMetrics.PrecisionAt([true], 10), Tolerance);
    }

    [Fact]
    public void Average_precision_averages_precision_at_each_hit_over_the_relevant_count()
    {
        // Hits at ranks 1 and 3 of 3 relevant items: (1/1 + 2/3) / 3.
        Assert.Equal((1 + 2.0 / 3) / 3, RankingMetrics.AveragePrecisionAt(HitsAtOneAndThree, 3, 100), Tolerance);
        // The same list when only those two exist: (1 + 2/3) / 2.
        Assert.Equal((1 + 2.0 / 3) / 2, RankingMetrics.AveragePrecisionAt(HitsAtOneAndThree, 2, 100), Tolerance);
    }

    [Fact]
    public void Average_precision_stops_at_its_depth_and_divides_by_min_of_relevant_and_depth()
    {
        // Depth 2 sees only the hit at rank 1; five relevant items exist, but at most 2 fit: 1/2.
        Assert.Equal(0.5, RankingMetrics.AveragePrecisionAt(HitsAtOneAndThree, 5, 2), Tolerance);
        // Everything reachable within the depth ranked first scores 1.
        Assert.Equal(1.0, RankingMetrics.AveragePrecisionAt([true, true, false], 5, 2), Tolerance);
        Assert.Equal(0.0, RankingMetrics.AveragePrecisionAt([false, false, true], 1, 2), Tolerance);
    }

    [Fact]
    public void Ndcg_discounts_by_log2_of_rank_plus_one_against_the_ideal_list()
    {
        // DCG = 1/log2(2) + 1/log2(4) = 1.5; ideal for 3 relevant = 1 + 1/log2(3) + 1/log2(4).
        var ideal = 1 + 1 / Math.Log2(3) + 0.5;
        Assert.Equal(1.5 / ideal, RankingMetrics.NdcgAt(HitsAtOneAndThree, 3, 10), Tolerance);
        Assert.Equal(0.70391809, RankingMetrics.NdcgAt(HitsAtOneAndThree, 3, 10), 1e-8);
        Assert.Equal(1.0, RankingMetrics.NdcgAt([true, true, false], 2, 10), Tolerance);
        // Only one relevant item, found at rank 2.
        Assert.Equal(1 / Math.Log2(3), RankingMetrics.NdcgAt([false, true], 1, 10), Tolerance);
    }

    [Fact]
    public void Ndcg_ignores_hits_past_k()
    {
        Assert.Equal(0.0, RankingMetrics.NdcgAt([false, false, true], 1, 2), Tolerance);
    }

    [Fact]
    public void Queries_without_relevant_items_or_with_impossible_counts_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => RankingMetrics.AveragePrecisionAt([false], 0, 100));
        Assert.Throws<ArgumentException>(() => RankingMetrics.NdcgAt([false], 0, 10));
        Assert.Throws<ArgumentException>(() => RankingMetrics.AveragePrecisionAt([true, true], 1, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => RankingMetrics.PrecisionAt([true], 0));
    }
}

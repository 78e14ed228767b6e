using MusicSearch.Evaluation.Robustness;

namespace MusicSearch.Evaluation.Tests.Robustness;

public sealed class RobustnessTallyTests
{
    [Fact]
    public void Top1_and_top10_are_shares_of_queries_by_rank_of_the_source()
    {
        var tally = new RobustnessTally();
        var eleven = Enumerable.Range(0, 11).Select(i => $"t{i}").ToArray();

        tally.Add(["s", "a"], ["a", "s"], "s");   // track rank 1, window rank 2
        tally.Add(["a", "b", "s"], ["s"], "s");    // track rank 3, window rank 1
        tally.Add(eleven, [], "t10");              // track rank 11: missed; window missed
        tally.Add(["a"], ["b"], "s");              // missed both

        var result = tally.Result();
        Assert.Equal(4, result.Queries);
        Assert.Equal(0.25, result.TrackTop1);
        Assert.Equal(0.5, result.TrackTop10);
        Assert.Equal(0.25, result.WindowTop1);
        Assert.Equal(0.5, result.WindowTop10);
    }

    [Fact]
    public void No_queries_report_NaN()
    {
        Assert.True(double.IsNaN(new RobustnessTally().Result().TrackTop1));
        Assert.Equal(3, RobustnessTally.RankOf(["a", "b", "c"], "c"));
        Assert.Null(RobustnessTally.RankOf(["a"], "c"));
    }
}

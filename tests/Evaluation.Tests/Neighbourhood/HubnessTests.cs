using MusicSearch.Evaluation.Neighbourhood;
using MusicSearch.Evaluation.Statistics;

namespace MusicSearch.Evaluation.Tests.Neighbourhood;

public sealed class HubnessTests
{
    [Fact]
    public void One_hub_gives_the_hand_computed_skewness_and_coverage()
    {
        // Top-1 lists: x→y, z→y, w→y, y→x. N_1 = [x 1, y 3, z 0, w 0]: mean 1, m2 = 6/4, m3 = 6/4, skew = 1.5/1.5^1.5.
        var result = Hubness.Measure(["x", "y", "z", "w"], [["y"], ["x"], ["y"], ["y"]], k: 1);

        Assert.Equal(1 / Math.Sqrt(1.5), result.Skewness, 1e-12);
        Assert.Equal(0.5, result.Coverage, 1e-12);
        Assert.Equal(3, result.MaxOccurrence);
    }

    [Fact]
    public void Only_the_first_k_results_count()
    {
        var result = Hubness.Measure(["x", "y", "z"], [["y", "z"], ["x", "z"], ["x", "y"]], k: 1);

        // N_1 = [x 2, y 1, z 0].
        Assert.Equal(2.0 / 3, result.Coverage, 1e-12);
        Assert.Equal(0.0, result.Skewness, 1e-12);
        Assert.Equal(2, result.MaxOccurrence);
    }

    [Fact]
    public void An_even_neighbourhood_has_no_skew()
    {
        var result = Hubness.Measure(["x", "y", "z"], [["y", "z"], ["x", "z"], ["x", "y"]], k: 10);

        Assert.Equal(0.0, result.Skewness);
        Assert.Equal(1.0, result.Coverage);
    }

    [Fact]
    public void Unknown_tracks_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => Hubness.Measure(["x"], [["q"]], 10));
        Assert.Throws<ArgumentException>(() => Hubness.Measure([], [], 10));
    }

    [Fact]
    public void Skewness_is_the_population_moment_ratio()
    {
        // [1, 2, 3, 10]: mean 4, deviations −3 −2 −1 6, m2 = 50/4, m3 = 180/4.
        Assert.Equal(45 / Math.Pow(12.5, 1.5), Moments.Skewness([1, 2, 3, 10]), 1e-12);
        Assert.Equal(-Moments.Skewness([1, 2, 3, 10]), Moments.Skewness([-1, -2, -3, -10]), 1e-12);
    }
}

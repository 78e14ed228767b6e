using MusicSearch.Inference.Embedding;

namespace MusicSearch.Inference.Tests.Embedding;

/// <summary>Where tracks are cut (ARCHITECTURE.md §5), in seconds at 1 sample per second for readability.</summary>
public sealed class WindowPlannerTests
{
    [Fact]
    public void Full_windows_then_a_final_partial_window_of_at_least_the_minimum()
    {
        Assert.Equal([new(0, 30), new(30, 30), new(60, 30), new(90, 5)], WindowPlanner.Plan(95, 30, 30, 5, null));
        Assert.Equal([new(0, 30), new(30, 30), new(60, 30)], WindowPlanner.Plan(94, 30, 30, 5, null));
        Assert.Equal([new(0, 30), new(30, 30)], WindowPlanner.Plan(60, 30, 30, 5, null));
    }

    [Theory]
    [InlineData(30)]
    [InlineData(12)]
    [InlineData(3)]
    public void A_track_no_longer_than_a_window_is_one_window_of_its_whole_length(int samples) =>
        Assert.Equal([new(0, samples)], WindowPlanner.Plan(samples, 30, 30, 5, null));

    [Fact]
    public void Overlapping_windows_step_by_the_hop_and_the_partial_window_reaches_the_end()
    {
        Assert.Equal([new(0, 30), new(15, 30), new(30, 20)], WindowPlanner.Plan(50, 30, 15, 5, null));
    }

    [Fact]
    public void More_windows_than_the_limit_become_that_many_full_windows_spread_from_start_to_end()
    {
        var windows = WindowPlanner.Plan(7200, 30, 30, 5, 8);
        Assert.Equal(8, windows.Length);
        Assert.All(windows, w => Assert.Equal(30, w.Length));
        Assert.Equal(0, windows[0].Start);
        Assert.Equal(7200 - 30, windows[^1].Start);
        var steps = windows.Zip(windows.Skip(1), (a, b) => b.Start - a.Start).ToArray();
        Assert.True(steps.Max() - steps.Min() <= 1, string.Join(", ", steps));
    }

    [Fact]
    public void A_limit_of_one_window_takes_the_middle_and_a_limit_above_the_count_changes_nothing()
    {
        Assert.Equal([new(35, 30)], WindowPlanner.Plan(100, 30, 30, 5, 1));
        Assert.Equal(WindowPlanner.Plan(95, 30, 30, 5, null), WindowPlanner.Plan(95, 30, 30, 5, 4));
    }
}

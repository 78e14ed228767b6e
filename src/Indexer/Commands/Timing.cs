using System.Diagnostics;

namespace MusicSearch.Indexer.Commands;

internal static class Timing
{
    /// <summary>
    /// Best of <paramref name="repeats"/> runs, after one untimed warm-up run unless the caller warmed up itself (the
    /// machine may be shared; the best is the least disturbed).
    /// </summary>
    public static double Best(Action action, int repeats, bool warmUp = true)
    {
        if (warmUp)
        {
            action();
        }
        var best = double.MaxValue;
        for (var i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return best;
    }
}

namespace MusicSearch.Evaluation.Robustness;

/// <summary>
/// How often a degraded excerpt finds its source track, for one degradation: among the tracks ranked by their
/// track vectors, and among the tracks ranked by their best window (the store's window search, one hit per track).
/// </summary>
public sealed record RobustnessScores(int Queries, double TrackTop1, double TrackTop10, double WindowTop1, double WindowTop10);

/// <summary>Counts where the source track ranked for each query of one degradation.</summary>
public sealed class RobustnessTally
{
    public const int Depth = 10;

    private int _queries;
    private int _trackTop1;
    private int _trackTop10;
    private int _windowTop1;
    private int _windowTop10;

    /// <param name="trackResults">Track ids by similarity of the excerpt to each track vector, best first.</param>
    /// <param name="windowResults">Track ids by their most similar window, best first.</param>
    /// <param name="source">The track the excerpt was cut from.</param>
    public void Add(IReadOnlyList<string> trackResults, IReadOnlyList<string> windowResults, string source)
    {
        ArgumentNullException.ThrowIfNull(trackResults);
        ArgumentNullException.ThrowIfNull(windowResults);
        _queries++;
        Count(RankOf(trackResults, source), ref _trackTop1, ref _trackTop10);
        Count(RankOf(windowResults, source), ref _windowTop1, ref _windowTop10);
    }

    public RobustnessScores Result() => _queries == 0
        ? new RobustnessScores(0, double.NaN, double.NaN, double.NaN, double.NaN)
        : new RobustnessScores(_queries, Rate(_trackTop1), Rate(_trackTop10), Rate(_windowTop1), Rate(_windowTop10));

    /// <summary>1-based rank of <paramref name="target"/> in <paramref name="results"/>, or null when absent.</summary>
    public static int? RankOf(IReadOnlyList<string> results, string target)
    {
        ArgumentNullException.ThrowIfNull(results);
        for (var i = 0; i < results.Count; i++)
        {
            if (results[i] == target)
            {
                return i + 1;
            }
        }
        return null;
    }

    private static void Count(int? rank, ref int top1, ref int top10)
    {
        if (rank == 1)
        {
            top1++;
        }
        if (rank <= Depth)
        {
            top10++;
        }
    }

    private double Rate(int hits) => (double)hits / _queries;
}

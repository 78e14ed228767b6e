using MusicSearch.Evaluation.Neighbourhood;
using MusicSearch.Evaluation.Retrieval;
using MusicSearch.Evaluation.Robustness;

namespace MusicSearch.Evaluation.Reports;

/// <summary>
/// Every number of one evaluation run: the JSON file's schema (<see cref="CurrentSchema"/>; snake_case names, NaN
/// written as null). Fields are only ever added, never renamed, so reports of different runs compare key by key.
/// </summary>
public sealed record EvalReport
{
    public const string CurrentSchema = "musicsearch-eval/1";

    public string Schema { get; init; } = CurrentSchema;

    public required DateTimeOffset CreatedAt { get; init; }

    public required CorpusSummary Corpus { get; init; }

    public required EvalSettings Settings { get; init; }

    public required IReadOnlyList<ModelReport> Models { get; init; }

    /// <summary>Tracks no robustness excerpt could be cut from (so no model queried them), with why.</summary>
    public IReadOnlyList<FailureReport> ExcerptFailures { get; init; } = [];
}

/// <param name="Manifest">The manifest the corpus was listed from.</param>
/// <param name="Tracks">Rows the manifest listed as tracks.</param>
/// <param name="Artists">Distinct artists among them.</param>
/// <param name="Albums">Distinct albums among them.</param>
/// <param name="AudioHours">Their total duration where known.</param>
public sealed record CorpusSummary(string Manifest, int Tracks, int Artists, int Albums, double AudioHours);

/// <param name="MaxWindows">Windows embedded per track at most (null: all).</param>
/// <param name="Threads">Compute threads of each model.</param>
/// <param name="ExcerptSeconds">Length of the robustness excerpts, cut from the middle of each track.</param>
/// <param name="K">Length of the lists P@k, nDCG@k, the same-artist rate and hubness are computed on.</param>
/// <param name="MapDepth">Depth of average precision.</param>
/// <param name="Machine">Cores and OS, for reading the speed numbers.</param>
/// <param name="Degradations">What each robustness condition does.</param>
public sealed record EvalSettings(int? MaxWindows, int Threads, double ExcerptSeconds, int K, int MapDepth, string Machine, IReadOnlyList<DegradationInfo> Degradations);

/// <param name="Id">Key of the condition in <see cref="ModelReport.Robustness"/>.</param>
/// <param name="Label">Short name for tables and charts.</param>
/// <param name="Ffmpeg">The ffmpeg filter or encoder settings that produce it.</param>
public sealed record DegradationInfo(string Id, string Label, string Ffmpeg);

/// <param name="Package">The package folder.</param>
/// <param name="Version">The package's version string.</param>
/// <param name="Architecture">Its architecture name.</param>
/// <param name="Dimensions">Vector size.</param>
/// <param name="Speed">Indexing throughput.</param>
/// <param name="Retrieval">Scores by relevance kind (<see cref="RelevanceKinds.Key"/>).</param>
/// <param name="SameArtistRateAt10">See <see cref="RetrievalResult.SameArtistRateAt10"/>.</param>
/// <param name="Hubness">k-occurrence skewness and coverage of the top-k lists.</param>
/// <param name="Robustness">Scores by degradation id.</param>
/// <param name="Failures">Tracks the model could not index, with why.</param>
public sealed record ModelReport(
    string Package,
    string Version,
    string Architecture,
    int Dimensions,
    SpeedReport Speed,
    IReadOnlyDictionary<string, RelevanceScores> Retrieval,
    double SameArtistRateAt10,
    HubnessResult Hubness,
    IReadOnlyDictionary<string, RobustnessScores> Robustness,
    IReadOnlyList<FailureReport> Failures);

/// <param name="Tracks">Tracks indexed.</param>
/// <param name="Failed">Tracks that failed.</param>
/// <param name="Windows">Windows embedded.</param>
/// <param name="AudioHours">Audio indexed.</param>
/// <param name="Seconds">Wall time of the indexing, decoding included.</param>
/// <param name="WindowsPerSecond">Windows over wall time.</param>
/// <param name="TracksPerHour">Tracks (indexed or failed) over wall time.</param>
/// <param name="AudioHoursPerHour">Audio hours indexed per hour of wall time.</param>
/// <param name="RankingSeconds">Wall time of ranking the catalog: two top-100 store searches per track.</param>
/// <param name="RobustnessSeconds">Wall time of the robustness queries: decoding, embedding and searching every excerpt.</param>
/// <param name="LoadAverage">
/// The machine's 1-minute load average when the indexing ended (NaN where the OS does not say): above the core count,
/// other work competed for the cores and the speed is a lower bound.
/// </param>
public sealed record SpeedReport(int Tracks, int Failed, long Windows, double AudioHours, double Seconds, double WindowsPerSecond, double TracksPerHour,
    double AudioHoursPerHour, double RankingSeconds, double RobustnessSeconds, double LoadAverage);

public sealed record FailureReport(string TrackId, string Code, string Reason);

using MusicSearch.Evaluation.Neighbourhood;
using MusicSearch.Evaluation.Reports;
using MusicSearch.Evaluation.Retrieval;
using MusicSearch.Evaluation.Robustness;

namespace MusicSearch.Evaluation.Tests.Reports;

internal static class SampleReports
{
    public static EvalReport TwoModels()
    {
        var retrieval = RetrievalEvaluator.Evaluate(Retrieval.RetrievalEvaluatorTests.Catalog, Retrieval.RetrievalEvaluatorTests.Plain,
            Retrieval.RetrievalEvaluatorTests.AlbumExcluded);
        var scores = retrieval.Scores.ToDictionary(entry => entry.Key.Key(), entry => entry.Value);
        var empty = new RelevanceScores(0, double.NaN, double.NaN, double.NaN, Enumerable.Repeat(double.NaN, RetrievalEvaluator.CurveDepth).ToArray());
        return new EvalReport
        {
            CreatedAt = new DateTimeOffset(2026, 11, 22, 10, 30, 0, TimeSpan.Zero),
            Corpus = new CorpusSummary("corpus/manifest.csv", 5, 2, 3, 0.25),
            Settings = new EvalSettings(20, 2, 10, 10, 100, "2 cores, Linux",
            [
                new DegradationInfo("clean", "clean", "pan=mono|c0=c0"),
                new DegradationInfo("gain-12db", "gain −12 dB", "volume=-12dB"),
            ]),
            Models =
            [
                new ModelReport("packages/a", "model-a", "classical", 186, new SpeedReport(5, 0, 25, 0.25, 12.4, 2, 1440, 72, 0.5, 30, 1.24),
                    scores, retrieval.SameArtistRateAt10, new HubnessResult(10, 0.82, 0.9, 4),
                    new Dictionary<string, RobustnessScores>
                    {
                        ["clean"] = new(5, 1, 1, 0.8, 1),
                        ["gain-12db"] = new(5, 0.6, 1, 0.4, 0.8),
                    }, []),
                new ModelReport("packages/b", "model-<b>", "musicfm", 512, new SpeedReport(4, 1, 20, 0.2, 100, 0.2, 180, 7.2, 0.25, 60, double.NaN),
                    new Dictionary<string, RelevanceScores>
                    {
                        ["same_artist"] = scores["same_artist"], ["same_artist_album_filtered"] = empty, ["same_album"] = scores["same_album"],
                    },
                    double.NaN, new HubnessResult(10, 1.5, 0.5, 4),
                    new Dictionary<string, RobustnessScores> { ["clean"] = new(4, 0.5, 0.75, 0.25, 0.5) },
                    [new FailureReport("b2", "corrupt", "broken frame at 3 s")]),
            ],
            ExcerptFailures = [new FailureReport("b2", "excerpt", "7.1 s of samples span 10 s")],
        };
    }
}

using System.Xml.Linq;
using MusicSearch.Evaluation.Reports;
using MusicSearch.Evaluation.Retrieval;
using MusicSearch.Inference.Models;
using MusicSearch.Inference.Packages;
using MusicSearch.Testing;

namespace MusicSearch.Indexer.Tests.Commands.Eval;

/// <summary><c>eval</c> end to end on the generated corpus: real ffmpeg, real packages, real stores.</summary>
public sealed class EvalCommandTests(GeneratedCorpusFixture fixture) : IClassFixture<GeneratedCorpusFixture>
{
    private const double Exact = 1e-9;

    private ModelReport Classical => fixture.Model("classical-eval");

    [Fact]
    public void A_perfectly_clustered_corpus_gets_the_hand_computed_retrieval_scores()
    {
        // Every query has 7 candidates. Same artist: 3 relevant, ranked 1–3. Album-filtered: the album mate is removed,
        // 2 relevant ranked 1–2. Same album: 1 relevant, ranked first. AP and nDCG are 1; P@10 = relevant / 10.
        var scores = Classical.Retrieval;
        AssertScores(scores[RelevanceKind.Artist.Key()], 8, 0.3);
        AssertScores(scores[RelevanceKind.ArtistAlbumFiltered.Key()], 8, 0.2);
        AssertScores(scores[RelevanceKind.Album.Key()], 8, 0.1);
        // P@k of 3 relevant ranked first: 1, 1, 1, 3/4, 3/5, 3/6, 3/7, then 3/k as the list stays at 7 results.
        Assert.Equal([1, 1, 1, 0.75, 0.6, 0.5, 3.0 / 7, 3.0 / 8, 3.0 / 9, 0.3], scores[RelevanceKind.Artist.Key()].PrecisionCurve.Take(10), new Tolerant());
        // 3 of the 7 listed results of every query are by its artist.
        Assert.Equal(3.0 / 7, Classical.SameArtistRateAt10, Exact);
    }

    [Fact]
    public void Every_list_holds_the_whole_catalog_so_coverage_is_1_and_nothing_is_skewed()
    {
        Assert.Equal(10, Classical.Hubness.K);
        Assert.Equal(1.0, Classical.Hubness.Coverage);
        Assert.Equal(0.0, Classical.Hubness.Skewness, Exact);
        Assert.Equal(7, Classical.Hubness.MaxOccurrence);
    }

    [Fact]
    public void Every_condition_is_queried_for_every_track_and_clean_excerpts_find_their_source()
    {
        var conditions = fixture.Report.Settings.Degradations.Select(d => d.Id).ToArray();
        Assert.Equal(["clean", "mp3-64k", "noise-20db", "eq-tilt", "tempo-up-3pct", "tempo-down-3pct", "gain-minus-12db"], conditions);
        foreach (var model in fixture.Report.Models)
        {
            Assert.Equal(conditions, model.Robustness.Keys);
            Assert.All(model.Robustness.Values, r =>
            {
                Assert.Equal(8, r.Queries);
                Assert.InRange(r.TrackTop1, 0, r.TrackTop10);
                Assert.InRange(r.WindowTop1, 0, r.WindowTop10);
                Assert.Equal(1.0, r.TrackTop10);
            });
        }
        // A 10 s excerpt of a 6 s track is the whole track: its vector is the track's own.
        Assert.Equal(1.0, Classical.Robustness["clean"].TrackTop1);
        Assert.Equal(1.0, Classical.Robustness["clean"].WindowTop1);
    }

    [Fact]
    public void Speed_counts_every_track_and_window_of_each_model()
    {
        foreach (var model in fixture.Report.Models)
        {
            Assert.Equal((8, 0, 8L), (model.Speed.Tracks, model.Speed.Failed, model.Speed.Windows));
            Assert.Equal(8 * 6 / 3600.0, model.Speed.AudioHours, 1e-3);
            Assert.Equal(model.Speed.Windows / model.Speed.Seconds, model.Speed.WindowsPerSecond, 1e-6);
            Assert.Equal(8 / model.Speed.Seconds * 3600, model.Speed.TracksPerHour, 1e-6);
            Assert.True(model.Speed.RobustnessSeconds > 0);
        }
        Assert.Equal(new CorpusSummary(Path.Combine(fixture.Corpus, "manifest.csv"), 8, 2, 4, 8 * 6 / 3600.0), fixture.Report.Corpus);
        Assert.Equal((20, 1), (fixture.Report.Settings.MaxWindows, fixture.Report.Settings.Threads));
        Assert.Empty(fixture.Report.ExcerptFailures);
    }

    [Fact]
    public void The_conformer_package_loads_and_embeds_through_the_harness()
    {
        var tiny = fixture.Model("tiny-eval");

        Assert.Equal(("musicfm", fixture.Conformer), (tiny.Architecture, tiny.Package));
        Assert.Equal(32, tiny.Dimensions);
        Assert.Empty(tiny.Failures);
        Assert.Equal(("classical", 138), (Classical.Architecture, Classical.Dimensions));
        // Whatever a random model ranks, 3 relevant results in 10 bound P@10.
        Assert.InRange(tiny.Retrieval[RelevanceKind.Artist.Key()].PrecisionAt10, 0, 0.3);
        Assert.InRange(tiny.Retrieval[RelevanceKind.Artist.Key()].MapAt100, 0, 1);
    }

    [Fact]
    public void The_report_folder_holds_markdown_json_and_the_charts_it_links()
    {
        var markdown = File.ReadAllText(Path.Combine(fixture.ReportDirectory, ReportWriter.MarkdownFile));
        var charts = Directory.GetFiles(fixture.ReportDirectory, "*.svg");

        Assert.Equal(5, charts.Length);
        foreach (var chart in charts)
        {
            Assert.Contains($"]({Path.GetFileName(chart)})", markdown, StringComparison.Ordinal);
            Assert.Equal(2, XDocument.Load(chart).Descendants().Count(e => (string?)e.Attribute("class") == "series"));
        }
        Assert.Contains("| classical-eval | 8 | 0.300 | 1.000 | 1.000 |", markdown, StringComparison.Ordinal);
        Assert.Contains("tiny-eval", fixture.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_classical_package_records_what_its_statistics_were_fitted_on()
    {
        using var package = ModelPackage.Open(fixture.Classical);

        Assert.Equal("classical-eval", package.Manifest.Version);
        Assert.Equal("per-dimension mean and population std of 8 windows", package.Manifest.Provenance["standardization"]);
        Assert.Equal(Path.Combine(fixture.Corpus, "manifest.csv"), package.Manifest.Provenance["fitted_on"]);
        Assert.Equal("8", package.Manifest.Provenance["tracks"]);
        Assert.All(package.Weights.ReadAsFloat32(ClassicalArchitecture.StdTensor), std => Assert.True(std > 0));
    }

    [Fact]
    public async Task Missing_inputs_are_reported_with_exit_code_2()
    {
        using var empty = new TemporaryDirectory();

        var noManifest = await Cli.RunAsync("eval", empty.Path, "--package", fixture.Classical, "--out", empty.File("r"));
        var noPackage = await Cli.RunAsync("eval", fixture.Corpus, "--package", empty.File("missing"), "--out", empty.File("r"));
        var badWindows = await Cli.RunAsync("eval", fixture.Corpus, "--package", fixture.Classical, "--max-windows", "-1");

        Assert.Equal((2, 2, 2), (noManifest.Exit, noPackage.Exit, badWindows.Exit));
        Assert.Contains("no manifest at", noManifest.Error, StringComparison.Ordinal);
        Assert.Contains("model package folder not found", noPackage.Error, StringComparison.Ordinal);
        Assert.Contains("--max-windows", badWindows.Error, StringComparison.Ordinal);
    }

    private static void AssertScores(RelevanceScores scores, int queries, double precisionAt10)
    {
        Assert.Equal(queries, scores.Queries);
        Assert.Equal(precisionAt10, scores.PrecisionAt10, Exact);
        Assert.Equal(1.0, scores.MapAt100, Exact);
        Assert.Equal(1.0, scores.NdcgAt10, Exact);
    }

    private sealed class Tolerant : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= Exact;

        public int GetHashCode(double obj) => 0;
    }
}

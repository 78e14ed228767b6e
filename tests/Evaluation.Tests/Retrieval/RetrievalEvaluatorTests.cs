using MusicSearch.Evaluation.Retrieval;

namespace MusicSearch.Evaluation.Tests.Retrieval;

/// <summary>
/// Five tracks whose every number is worked out by hand below: artists A (a1, a2 on album X, a3 on album Y) and
/// B (b1 on Y, b2 on Z).
/// </summary>
public sealed class RetrievalEvaluatorTests
{
    private const double Tolerance = 1e-6;
    private static readonly double L3 = 1 / Math.Log2(3);

    internal static readonly LabelledCatalog Catalog = new(
    [
        new("a1", "A", "X"), new("a2", "A", "X"), new("a3", "A", "Y"), new("b1", "B", "Y"), new("b2", "B", "Z"),
    ]);

    internal static readonly Dictionary<string, IReadOnlyList<string>> Plain = new()
    {
        ["a1"] = ["a2", "b1", "a3", "b2"], // artist hits at 1, 3 of 2; album (a2) at 1
        ["a2"] = ["a3", "a1", "b2", "b1"], // artist hits at 1, 2 of 2; album (a1) at 2
        ["a3"] = ["b1", "b2", "a1", "a2"], // artist hits at 3, 4 of 2; album (b1) at 1
        ["b1"] = ["a3", "b2", "a1", "a2"], // artist hit at 2 of 1; album (a3) at 1
        ["b2"] = ["b1", "a1", "a2", "a3"], // artist hit at 1 of 1; album Z has no other track: no album query
    };

    internal static readonly Dictionary<string, IReadOnlyList<string>> AlbumExcluded = new()
    {
        ["a1"] = ["b1", "a3", "b2"],       // A on another album: a3, found at 2
        ["a2"] = ["a3", "b2", "b1"],       // a3 at 1
        ["a3"] = ["a1", "b2", "a2"],       // a1, a2 at 1 and 3
        ["b1"] = ["a1", "a2", "b2"],       // b2 at 3
        ["b2"] = ["a1", "b1", "a2", "a3"], // b1 at 2
    };

    [Fact]
    public void Same_artist_scores_match_the_hand_computed_means()
    {
        var scores = RetrievalEvaluator.Evaluate(Catalog, Plain, AlbumExcluded).Scores[RelevanceKind.Artist];

        Assert.Equal(5, scores.Queries);
        Assert.Equal((0.2 + 0.2 + 0.2 + 0.1 + 0.1) / 5, scores.PrecisionAt10, Tolerance);
        // AP: a1 (1 + 2/3)/2, a2 1, a3 (1/3 + 2/4)/2, b1 1/2, b2 1.
        Assert.Equal(((1 + 2.0 / 3) / 2 + 1 + (1.0 / 3 + 0.5) / 2 + 0.5 + 1) / 5, scores.MapAt100, Tolerance);
        Assert.Equal(0.75, scores.MapAt100, Tolerance);
        // nDCG: a1 1.5/(1 + L3), a2 1, a3 (1/2 + 1/log2 5)/(1 + L3), b1 L3, b2 1.
        var ndcg = (1.5 / (1 + L3) + 1 + (0.5 + 1 / Math.Log2(5)) / (1 + L3) + L3 + 1) / 5;
        Assert.Equal(ndcg, scores.NdcgAt10, Tolerance);
        Assert.Equal(0.8242585, scores.NdcgAt10, Tolerance);
    }

    [Fact]
    public void Album_filtered_artist_scores_use_the_album_excluded_lists()
    {
        var scores = RetrievalEvaluator.Evaluate(Catalog, Plain, AlbumExcluded).Scores[RelevanceKind.ArtistAlbumFiltered];

        Assert.Equal(5, scores.Queries);
        Assert.Equal((0.1 + 0.1 + 0.2 + 0.1 + 0.1) / 5, scores.PrecisionAt10, Tolerance);
        // AP: a1 1/2, a2 1, a3 (1 + 2/3)/2, b1 1/3, b2 1/2.
        Assert.Equal(0.6333333, scores.MapAt100, Tolerance);
        // nDCG: a1 L3, a2 1, a3 1.5/(1 + L3), b1 1/2, b2 L3.
        Assert.Equal((L3 + 1 + 1.5 / (1 + L3) + 0.5 + L3) / 5, scores.NdcgAt10, Tolerance);
    }

    [Fact]
    public void Album_scores_leave_out_queries_without_another_track_of_their_album()
    {
        var scores = RetrievalEvaluator.Evaluate(Catalog, Plain, AlbumExcluded).Scores[RelevanceKind.Album];

        Assert.Equal(4, scores.Queries);
        Assert.Equal(0.1, scores.PrecisionAt10, Tolerance);
        Assert.Equal((1 + 0.5 + 1 + 1) / 4, scores.MapAt100, Tolerance);
        Assert.Equal((1 + L3 + 1 + 1) / 4, scores.NdcgAt10, Tolerance);
    }

    [Fact]
    public void Precision_curve_holds_the_mean_precision_at_every_k()
    {
        var curve = RetrievalEvaluator.Evaluate(Catalog, Plain, AlbumExcluded).Scores[RelevanceKind.Artist].PrecisionCurve;

        Assert.Equal(RetrievalEvaluator.CurveDepth, curve.Count);
        // Rank 1 is by the query's artist for a1, a2 and b2.
        Assert.Equal(3.0 / 5, curve[0], Tolerance);
        // Hits in the first two: a1 1, a2 2, a3 0, b1 1, b2 1 → (1/2 + 1 + 0 + 1/2 + 1/2)/5.
        Assert.Equal(0.5, curve[1], Tolerance);
        Assert.Equal(curve[9], RetrievalEvaluator.Evaluate(Catalog, Plain, AlbumExcluded).Scores[RelevanceKind.Artist].PrecisionAt10, Tolerance);
    }

    [Fact]
    public void Same_artist_rate_counts_every_listed_result_of_every_query_with_an_artist()
    {
        // Same-artist results in the lists: 2 + 2 + 2 + 1 + 1 of 5 × 4 listed.
        Assert.Equal(8.0 / 20, RetrievalEvaluator.Evaluate(Catalog, Plain, AlbumExcluded).SameArtistRateAt10, Tolerance);
    }

    [Fact]
    public void Labels_compare_ignoring_case_and_missing_labels_relate_to_nothing()
    {
        var catalog = new LabelledCatalog([new("x", "The Band", null), new("y", "the band ", "Live"), new("z", null, "live")]);

        Assert.True(catalog.IsRelevant("x", "y", RelevanceKind.Artist));
        Assert.True(catalog.IsRelevant("y", "z", RelevanceKind.Album));
        Assert.False(catalog.IsRelevant("z", "x", RelevanceKind.Artist));
        Assert.Equal(0, catalog.RelevantCount("z", RelevanceKind.Artist));
        Assert.Equal(1, catalog.RelevantCount("x", RelevanceKind.ArtistAlbumFiltered));
        Assert.Equal(2, catalog.CandidateCount("x", RelevanceKind.ArtistAlbumFiltered));
        Assert.Equal(1, catalog.CandidateCount("y", RelevanceKind.ArtistAlbumFiltered));
    }

    [Fact]
    public void A_list_naming_a_track_of_the_query_album_is_rejected_in_the_filtered_task()
    {
        var lists = new Dictionary<string, IReadOnlyList<string>>(AlbumExcluded) { ["a1"] = ["a2", "b1", "a3"] };

        var error = Assert.Throws<ArgumentException>(() => RetrievalEvaluator.Evaluate(Catalog, Plain, lists));
        Assert.Contains("'a2'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a1", new[] { "a2", "b1", "a3" }, "needs min(100, 4 candidates)")]
    [InlineData("a1", new[] { "a2", "b1", "a3", "a2" }, "twice")]
    [InlineData("a1", new[] { "a2", "b1", "a3", "zz" }, "not in the catalog")]
    [InlineData("a1", new[] { "a2", "b1", "a3", "a1" }, "must not be a candidate")]
    public void Malformed_lists_are_rejected_with_the_reason(string query, string[] list, string reason)
    {
        var lists = new Dictionary<string, IReadOnlyList<string>>(Plain) { [query] = list };

        var error = Assert.Throws<ArgumentException>(() => RetrievalEvaluator.Evaluate(Catalog, lists, AlbumExcluded));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_catalog_track_needs_a_list_and_every_list_a_catalog_track()
    {
        var missing = new Dictionary<string, IReadOnlyList<string>>(Plain);
        missing.Remove("b2");
        Assert.Throws<ArgumentException>(() => RetrievalEvaluator.Evaluate(Catalog, missing, AlbumExcluded));

        var extra = new Dictionary<string, IReadOnlyList<string>>(Plain) { ["q"] = ["a1"] };
        Assert.Throws<ArgumentException>(() => RetrievalEvaluator.Evaluate(Catalog, extra, AlbumExcluded));
        Assert.Throws<ArgumentException>(() => new LabelledCatalog([new("a", null, null), new("a", null, null)]));
    }

    [Fact]
    public void A_kind_without_any_query_reports_NaN()
    {
        var catalog = new LabelledCatalog([new("x", "A", "X"), new("y", "B", "Y")]);
        var lists = new Dictionary<string, IReadOnlyList<string>> { ["x"] = ["y"], ["y"] = ["x"] };

        var result = RetrievalEvaluator.Evaluate(catalog, lists, lists);

        Assert.Equal(0, result.Scores[RelevanceKind.Album].Queries);
        Assert.True(double.IsNaN(result.Scores[RelevanceKind.Album].MapAt100));
        Assert.Equal(0.0, result.SameArtistRateAt10);
    }
}

namespace MusicSearch.Evaluation.Retrieval;

/// <summary>Scores of one relevance kind, averaged over the queries that have at least one relevant candidate.</summary>
/// <param name="Queries">Queries scored; a query without a label or without any relevant candidate is left out.</param>
/// <param name="PrecisionAt10">Mean P@10.</param>
/// <param name="MapAt100">Mean AP@100.</param>
/// <param name="NdcgAt10">Mean nDCG@10.</param>
/// <param name="PrecisionCurve">Mean P@k for k = 1 … <see cref="RetrievalEvaluator.CurveDepth"/>.</param>
public sealed record RelevanceScores(int Queries, double PrecisionAt10, double MapAt100, double NdcgAt10, IReadOnlyList<double> PrecisionCurve);

/// <summary>Everything the retrieval task measures for one model.</summary>
/// <param name="Scores">One entry per <see cref="RelevanceKind"/>.</param>
/// <param name="SameArtistRateAt10">
/// Share of the top-10 results (all candidates) by the query's own artist, over every query that has an artist,
/// related artists or not: how much a list is one artist's (for P@10 only queries with another track by their
/// artist count).
/// </param>
public sealed record RetrievalResult(IReadOnlyDictionary<RelevanceKind, RelevanceScores> Scores, double SameArtistRateAt10);

/// <summary>
/// Computes the retrieval metrics from ranked lists: for every catalog track, its nearest other tracks
/// (<c>plain</c>) and its nearest tracks from other albums (<c>albumExcluded</c>, what the store's seed-album
/// exclusion returns). Lists must reach <see cref="MapDepth"/> results or every candidate, whichever is fewer.
/// </summary>
public static class RetrievalEvaluator
{
    public const int K = 10;
    public const int MapDepth = 100;
    public const int CurveDepth = 20;

    /// <exception cref="ArgumentException">
    /// A track without a list or a list for an unknown query, a result that is not in the catalog, listed twice,
    /// the query itself or (album-excluded lists) from the query's album, or a list shorter than it must be.
    /// </exception>
    public static RetrievalResult Evaluate(LabelledCatalog catalog, IReadOnlyDictionary<string, IReadOnlyList<string>> plain,
        IReadOnlyDictionary<string, IReadOnlyList<string>> albumExcluded)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        CheckLists(catalog, plain, RelevanceKind.Artist, nameof(plain));
        CheckLists(catalog, albumExcluded, RelevanceKind.ArtistAlbumFiltered, nameof(albumExcluded));

        var scores = new Dictionary<RelevanceKind, RelevanceScores>();
        foreach (var kind in RelevanceKinds.All)
        {
            scores[kind] = Score(catalog, kind == RelevanceKind.ArtistAlbumFiltered ? albumExcluded : plain, kind);
        }
        return new RetrievalResult(scores, SameArtistRate(catalog, plain));
    }

    private static RelevanceScores Score(LabelledCatalog catalog, IReadOnlyDictionary<string, IReadOnlyList<string>> lists, RelevanceKind kind)
    {
        var queries = 0;
        double precision = 0, map = 0, ndcg = 0;
        var curve = new double[CurveDepth];
        var relevance = new bool[MapDepth];
        foreach (var track in catalog.Tracks)
        {
            var relevant = catalog.RelevantCount(track.Id, kind);
            if (relevant == 0)
            {
                continue;
            }
            var list = lists[track.Id];
            var length = Math.Min(list.Count, MapDepth);
            for (var i = 0; i < length; i++)
            {
                relevance[i] = catalog.IsRelevant(track.Id, list[i], kind);
            }
            var ranked = relevance.AsSpan(0, length);
            queries++;
            precision += RankingMetrics.PrecisionAt(ranked, K);
            map += RankingMetrics.AveragePrecisionAt(ranked, relevant, MapDepth);
            ndcg += RankingMetrics.NdcgAt(ranked, relevant, K);
            for (var k = 1; k <= CurveDepth; k++)
            {
                curve[k - 1] += RankingMetrics.PrecisionAt(ranked, k);
            }
        }
        if (queries == 0)
        {
            return new RelevanceScores(0, double.NaN, double.NaN, double.NaN, Array.ConvertAll(curve, _ => double.NaN));
        }
        return new RelevanceScores(queries, precision / queries, map / queries, ndcg / queries, Array.ConvertAll(curve, sum => sum / queries));
    }

    private static double SameArtistRate(LabelledCatalog catalog, IReadOnlyDictionary<string, IReadOnlyList<string>> plain)
    {
        long same = 0, listed = 0;
        foreach (var track in catalog.Tracks)
        {
            if (!catalog.HasArtist(track.Id))
            {
                continue;
            }
            var list = plain[track.Id];
            var length = Math.Min(list.Count, K);
            listed += length;
            for (var i = 0; i < length; i++)
            {
                if (catalog.IsRelevant(track.Id, list[i], RelevanceKind.Artist))
                {
                    same++;
                }
            }
        }
        return listed == 0 ? double.NaN : (double)same / listed;
    }

    private static void CheckLists(LabelledCatalog catalog, IReadOnlyDictionary<string, IReadOnlyList<string>> lists, RelevanceKind candidates, string parameter)
    {
        ArgumentNullException.ThrowIfNull(lists, parameter);
        foreach (var query in lists.Keys)
        {
            if (!catalog.Contains(query))
            {
                throw new ArgumentException($"a ranked list is given for '{query}', which is not in the catalog", parameter);
            }
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var track in catalog.Tracks)
        {
            if (!lists.TryGetValue(track.Id, out var list))
            {
                throw new ArgumentException($"track '{track.Id}' has no ranked list", parameter);
            }
            seen.Clear();
            var eligible = catalog.CandidateCount(track.Id, candidates);
            foreach (var result in list)
            {
                if (!catalog.Contains(result))
                {
                    throw new ArgumentException($"the list of '{track.Id}' names '{result}', which is not in the catalog", parameter);
                }
                if (!seen.Add(result))
                {
                    throw new ArgumentException($"the list of '{track.Id}' names '{result}' twice", parameter);
                }
                if (!catalog.IsCandidate(track.Id, result, candidates))
                {
                    throw new ArgumentException($"the list of '{track.Id}' names '{result}', which must not be a candidate (the query itself, or its album when albums are excluded)", parameter);
                }
            }
            if (list.Count < Math.Min(MapDepth, eligible))
            {
                throw new ArgumentException($"the list of '{track.Id}' has {list.Count} results; it needs min({MapDepth}, {eligible} candidates)", parameter);
            }
        }
    }
}

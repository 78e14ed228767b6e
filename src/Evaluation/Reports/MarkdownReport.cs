using System.Globalization;
using System.Text;
using MusicSearch.Evaluation.Retrieval;

namespace MusicSearch.Evaluation.Reports;

/// <summary>The human-readable report: tables of every headline number, the charts, and what each metric means.</summary>
public static class MarkdownReport
{
    public static string Write(EvalReport report, IReadOnlyList<ReportChart> charts)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(charts);
        var text = new StringBuilder();
        var corpus = report.Corpus;
        var settings = report.Settings;
        Line(text, "# Evaluation report");
        Line(text);
        Line(text, $"Corpus `{corpus.Manifest}`: {corpus.Tracks} tracks, {corpus.Artists} artists, {corpus.Albums} albums, {corpus.AudioHours:0.00} h of audio. " +
            $"Run {report.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC on {settings.Machine}, {settings.Threads} compute threads, " +
            (settings.MaxWindows is { } limit ? $"at most {limit} windows per track." : "every window of every track."));
        Line(text);

        Line(text, "## Retrieval with proxy labels");
        Line(text);
        foreach (var kind in RelevanceKinds.All)
        {
            Line(text, $"**{kind.Label()}**");
            Line(text);
            Line(text, "| model | queries | P@10 | MAP@100 | nDCG@10 |");
            Line(text, "|---|---:|---:|---:|---:|");
            foreach (var model in report.Models)
            {
                var s = model.Retrieval[kind.Key()];
                Line(text, $"| {Name(model)} | {s.Queries} | {N(s.PrecisionAt10)} | {N(s.MapAt100)} | {N(s.NdcgAt10)} |");
            }
            Line(text);
        }
        Line(text, "| model | same-artist rate of top-10 | hubness (skewness of N_10) | coverage | largest N_10 |");
        Line(text, "|---|---:|---:|---:|---:|");
        foreach (var model in report.Models)
        {
            Line(text, $"| {Name(model)} | {N(model.SameArtistRateAt10)} | {N(model.Hubness.Skewness)} | {N(model.Hubness.Coverage)} | {model.Hubness.MaxOccurrence} |");
        }
        Line(text);

        Line(text, "## Robustness");
        Line(text);
        Line(text, $"A {settings.ExcerptSeconds:0.#} s excerpt from the middle of each track, degraded, is embedded and searched; the numbers are the share of " +
            "excerpts whose source track ranks first (top-1) or in the first ten (top-10), ranked by track vector and by best window.");
        Line(text);
        if (report.ExcerptFailures.Count > 0)
        {
            Line(text, "No excerpt could be cut from: " + string.Join("; ", report.ExcerptFailures.Select(f => $"`{f.TrackId}` {f.Code}: {Cell(f.Reason)}")) + ".");
            Line(text);
        }
        Line(text, "| condition | ffmpeg |");
        Line(text, "|---|---|");
        foreach (var degradation in settings.Degradations)
        {
            Line(text, $"| {Cell(degradation.Label)} | `{Cell(degradation.Ffmpeg)}` |");
        }
        Line(text);
        foreach (var model in report.Models)
        {
            Line(text, $"**{Name(model)}**");
            Line(text);
            Line(text, "| condition | excerpts | track top-1 | track top-10 | window top-1 | window top-10 |");
            Line(text, "|---|---:|---:|---:|---:|---:|");
            foreach (var degradation in settings.Degradations)
            {
                if (model.Robustness.TryGetValue(degradation.Id, out var r))
                {
                    Line(text, $"| {Cell(degradation.Label)} | {r.Queries} | {N(r.TrackTop1)} | {N(r.TrackTop10)} | {N(r.WindowTop1)} | {N(r.WindowTop10)} |");
                }
            }
            Line(text);
        }

        Line(text, "## Speed");
        Line(text);
        Line(text, "| model | dims | tracks | failed | windows | audio | wall time | windows/s | tracks/hour | audio-hours/hour | ranking | robustness queries | load average |");
        Line(text, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var model in report.Models)
        {
            var s = model.Speed;
            Line(text, $"| {Name(model)} | {model.Dimensions} | {s.Tracks} | {s.Failed} | {s.Windows} | {s.AudioHours:0.00} h | {s.Seconds:0} s | " +
                $"{s.WindowsPerSecond:0.00} | {s.TracksPerHour:0} | {s.AudioHoursPerHour:0.0} | {s.RankingSeconds:0.0} s | {s.RobustnessSeconds:0} s | {(double.IsNaN(s.LoadAverage) ? "–" : s.LoadAverage.ToString("0.0", CultureInfo.InvariantCulture))} |");
        }
        Line(text);
        foreach (var model in report.Models.Where(m => m.Failures.Count > 0))
        {
            Line(text, $"Failures of {Name(model)}: " + string.Join("; ", model.Failures.Take(10).Select(f => $"`{f.TrackId}` {f.Code}: {Cell(f.Reason)}")) +
                (model.Failures.Count > 10 ? $" (and {model.Failures.Count - 10} more, see the JSON)" : ""));
            Line(text);
        }

        Line(text, "## Charts");
        Line(text);
        foreach (var chart in charts)
        {
            Line(text, $"![{chart.Title}]({chart.FileName})");
            Line(text);
        }

        Line(text, "## Definitions");
        Line(text);
        Line(text, "- Every indexed track is a query; its candidates are all other indexed tracks. A query counts for a relevance kind only if it has a label and at least one relevant candidate.");
        Line(text, "- *same artist*: relevant = other tracks by the query's artist. *same artist, same album filtered out*: tracks from the query's album are removed from its candidates " +
            "(the store's seed-album exclusion) and relevant = tracks by its artist on other albums, so recognising one production does not count. *same album*: relevant = other tracks of its album.");
        Line(text, $"- P@k = relevant results among the first k / k. AP@{settings.MapDepth} = Σ over relevant results at rank r ≤ {settings.MapDepth} of P@r, " +
            $"divided by min(relevant, {settings.MapDepth}); MAP is its mean. nDCG@k uses gains 1/log2(r + 1) over the ideal list of min(relevant, k) relevant results.");
        Line(text, "- Same-artist rate: share of all top-10 results by the query's artist, over every query with an artist. " +
            "Hubness: population skewness of N_10(x), the number of top-10 lists that contain x; coverage: share of tracks in at least one top-10 list.");
        Line(text, "- Speed: indexing wall time of the whole corpus (decoding, embedding, storing) on this machine; ranking: every track's two top-100 " +
            "searches (all candidates, album excluded) in batches; robustness queries: decoding, embedding and searching every excerpt; load average: the " +
            "machine's 1-minute load when the indexing ended (above the core count, other work shared the cores and the speed is a lower bound).");
        Line(text);
        Line(text, "Models:");
        Line(text);
        foreach (var model in report.Models)
        {
            Line(text, $"- {Name(model)}: `{model.Package}`, architecture `{model.Architecture}`, {model.Dimensions} dimensions");
        }
        return text.ToString();
    }

    private static string Name(ModelReport model) => Cell(model.Version);

    /// <summary>Text safe inside a table cell: a pipe would end the cell.</summary>
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    private static string N(double value) => double.IsNaN(value) ? "–" : value.ToString("0.000", CultureInfo.InvariantCulture);

    private static void Line(StringBuilder text, string line = "") => text.Append(line).Append('\n');
}

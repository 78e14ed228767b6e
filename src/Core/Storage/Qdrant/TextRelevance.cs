using System.Text;
using MusicSearch.Core.Catalog;

namespace MusicSearch.Core.Storage.Qdrant;

/// <summary>
/// Words of a text query and a relevance score for a track that matched them. Words are runs of letters and digits,
/// lower-cased, as Qdrant's <c>word</c> tokenizer cuts them. The score favours words found several times and short
/// fields, in the spirit of BM25 without corpus statistics: per query word, occurrences <c>n</c> in the title (counted
/// twice), artist and album add <c>n / (n + 1)</c>, and the sum is damped by the number of words in those fields.
/// </summary>
internal static class TextRelevance
{
    public static List<string> Words(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                word.Append(Rune.ToLowerInvariant(rune).ToString());
            }
            else if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }
        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }
        return words;
    }

    /// <summary>Higher for better matches; the last query word counts as a prefix, like the search that found the track.</summary>
    public static double Score(IReadOnlyList<string> query, Track track)
    {
        var title = Words(track.Title);
        var others = Words(track.Artist ?? "").Concat(Words(track.Album ?? "")).ToList();
        double score = 0;
        for (var i = 0; i < query.Count; i++)
        {
            var prefix = i == query.Count - 1;
            var count = (2 * Occurrences(title, query[i], prefix)) + Occurrences(others, query[i], prefix);
            score += count / (count + 1.0);
        }
        return Math.Round(score / (1 + (0.05 * (title.Count + others.Count))), 6, MidpointRounding.AwayFromZero);
    }

    private static int Occurrences(List<string> words, string word, bool prefix) =>
        words.Count(candidate => prefix ? candidate.StartsWith(word, StringComparison.Ordinal) : candidate == word);
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace MusicSearch.Core.Storage.Qdrant;

internal sealed partial class QdrantTrackStore
{
    /// <summary>
    /// Matching happens in Qdrant, on full-text indexes (lower-cased, accents folded): every word but the last must be a
    /// word of the title, artist or album (word-tokenized indexes on each), the last a prefix of a word of any of them
    /// (the prefix-tokenized <c>text</c> field). The words go in as a filter's text, never as a query language, so
    /// operators and punctuation are plain text. Qdrant filters do not score, so the matches (at most
    /// <see cref="QdrantStoreOptions.TextCandidates"/>) are ranked here by <see cref="TextRelevance"/>.
    /// </summary>
    public async Task<IReadOnlyList<TextMatch>> SearchTextAsync(TextQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var words = TextRelevance.Words(query.Text);
        if (words.Count == 0)
        {
            return [];
        }
        var filter = QdrantFilter.OfKind(TrackPayload.TrackKind)
            .Must(QdrantFilter.MatchAny(TrackPayload.Status, TrackPayload.LiveStatuses))
            .Matching(query.Filter);
        foreach (var word in words.Take(words.Count - 1))
        {
            filter.Must(QdrantFilter.AnyOf(
                QdrantFilter.MatchText(TrackPayload.Title, word), QdrantFilter.MatchText(TrackPayload.Artist, word), QdrantFilter.MatchText(TrackPayload.Album, word)));
        }
        filter.Must(QdrantFilter.MatchText(TrackPayload.Text, words[^1]));

        var candidates = new List<JsonElement>();
        JsonElement? offset = null;
        do
        {
            var request = new JsonObject
            {
                ["filter"] = filter.ToJson(),
                ["limit"] = Math.Min(1000, _options.TextCandidates - candidates.Count),
                ["with_payload"] = true,
                ["with_vector"] = false,
            };
            if (offset is { } next)
            {
                request["offset"] = JsonValue.Create(next);
            }
            (var points, offset) = await ScrollAsync(request, cancellationToken).ConfigureAwait(false);
            candidates.AddRange(points);
        }
        while (offset is not null && candidates.Count < _options.TextCandidates);

        return [.. candidates
            .Select(point => TrackPayload.ReadRecord(Payload(point)))
            .Select(record => new TextMatch(record, TextRelevance.Score(words, record.Track)))
            .OrderByDescending(match => match.Score)
            .ThenBy(match => match.Record.Track.Id)
            .Take(query.Limit)];
    }
}

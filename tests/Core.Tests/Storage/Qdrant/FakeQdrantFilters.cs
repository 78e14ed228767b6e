using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace MusicSearch.Core.Tests.Storage.Qdrant;

/// <summary>
/// How <see cref="FakeQdrant"/> evaluates Qdrant filters, as Qdrant documents them: <c>must</c> / <c>should</c> /
/// <c>must_not</c> (a condition or a list), nested filters, <c>match</c> (<c>value</c>, <c>any</c>, <c>text</c> on a
/// full-text index with its tokenizer), <c>range</c>, <c>is_empty</c>, <c>has_id</c>. A condition on a missing field
/// never holds; <c>is_empty</c> holds for missing, null and empty arrays.
/// </summary>
internal static class FakeQdrantFilters
{
    public static bool Matches(JsonNode? filter, Guid id, JsonObject payload, Func<string, JsonObject?> textIndex)
    {
        if (filter is not JsonObject conditions)
        {
            return true;
        }
        var must = List(conditions["must"]);
        var should = List(conditions["should"]);
        var mustNot = List(conditions["must_not"]);
        return must.All(c => Condition(c, id, payload, textIndex))
            && (should.Count == 0 || should.Any(c => Condition(c, id, payload, textIndex)))
            && !mustNot.Any(c => Condition(c, id, payload, textIndex));
    }

    private static List<JsonNode> List(JsonNode? node) => node switch
    {
        null => [],
        JsonArray array => [.. array.Select(item => item!)],
        _ => [node],
    };

    private static bool Condition(JsonNode condition, Guid id, JsonObject payload, Func<string, JsonObject?> textIndex)
    {
        var c = condition.AsObject();
        if (c["has_id"] is JsonArray ids)
        {
            return ids.Any(value => Guid.Parse(value!.GetValue<string>()) == id);
        }
        if (c["is_empty"] is JsonObject empty)
        {
            return Values(payload, empty["key"]!.GetValue<string>()).Count == 0;
        }
        if (c["key"] is null)
        {
            return Matches(c, id, payload, textIndex);
        }
        var key = c["key"]!.GetValue<string>();
        var values = Values(payload, key);
        if (c["match"] is JsonObject match)
        {
            if (match["value"] is { } value)
            {
                return values.Any(v => Same(v, value));
            }
            if (match["any"] is JsonArray any)
            {
                return values.Any(v => any.Any(a => Same(v, a!)));
            }
            if (match["text"] is { } text)
            {
                var index = textIndex(key) ?? throw new InvalidOperationException($"text match on '{key}', which has no full-text index");
                return values.Any(v => TextMatches(index, v.GetValue<string>(), text.GetValue<string>()));
            }
            throw new InvalidOperationException($"match {match.ToJsonString()} is not emulated");
        }
        if (c["range"] is JsonObject range)
        {
            return values.Any(v => v.GetValueKind() == System.Text.Json.JsonValueKind.Number && InRange(v.GetValue<double>(), range));
        }
        throw new InvalidOperationException($"condition {c.ToJsonString()} is not emulated");
    }

    /// <summary>The values of a payload field: its elements when it is an array, nothing when it is missing or null.</summary>
    public static List<JsonNode> Values(JsonObject payload, string key) => payload[key] switch
    {
        null => [],
        JsonArray array => [.. array.Where(item => item is not null).Select(item => item!)],
        var value => [value],
    };

    private static bool Same(JsonNode stored, JsonNode wanted) =>
        stored.GetValueKind() == wanted.GetValueKind() && stored.ToJsonString() == wanted.ToJsonString();

    private static bool InRange(double value, JsonObject range) =>
        (range["gt"] is not { } gt || value > gt.GetValue<double>())
        && (range["gte"] is not { } gte || value >= gte.GetValue<double>())
        && (range["lt"] is not { } lt || value < lt.GetValue<double>())
        && (range["lte"] is not { } lte || value <= lte.GetValue<double>());

    /// <summary>
    /// Every token of the query is a token of the text (<c>word</c>) or a prefix of one (<c>prefix</c>, whose index holds
    /// every prefix of every word while queries keep whole words).
    /// </summary>
    private static bool TextMatches(JsonObject index, string stored, string query)
    {
        var prefix = index["tokenizer"]?.GetValue<string>() == "prefix";
        var fold = index["ascii_folding"]?.GetValue<bool>() == true;
        var words = Tokens(stored, fold);
        var wanted = Tokens(query, fold);
        return wanted.Count > 0 && wanted.All(token => words.Any(word => prefix ? word.StartsWith(token, StringComparison.Ordinal) : word == token));
    }

    private static List<string> Tokens(string text, bool fold)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                current.Append(Rune.ToLowerInvariant(rune).ToString());
            }
            else if (current.Length > 0)
            {
                tokens.Add(Folded(current.ToString(), fold));
                current.Clear();
            }
        }
        if (current.Length > 0)
        {
            tokens.Add(Folded(current.ToString(), fold));
        }
        return tokens;
    }

    private static string Folded(string token, bool fold)
    {
        if (!fold)
        {
            return token;
        }
        var decomposed = token.Normalize(NormalizationForm.FormD);
        return new string([.. decomposed.Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)]);
    }
}

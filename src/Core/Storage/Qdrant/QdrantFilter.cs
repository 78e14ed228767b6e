using System.Text.Json.Nodes;

namespace MusicSearch.Core.Storage.Qdrant;

/// <summary>
/// Builds Qdrant filters (<c>must</c> / <c>must_not</c> of field conditions). Every call makes new JSON nodes, since a
/// node belongs to one request only.
/// </summary>
internal sealed class QdrantFilter
{
    private readonly JsonArray _must = [];
    private readonly JsonArray _mustNot = [];

    public QdrantFilter Must(JsonObject condition)
    {
        _must.Add(condition);
        return this;
    }

    public QdrantFilter MustNot(JsonObject condition)
    {
        _mustNot.Add(condition);
        return this;
    }

    /// <summary>Only points of one kind (<see cref="TrackPayload.TrackKind"/> or <see cref="TrackPayload.WindowKind"/>).</summary>
    public static QdrantFilter OfKind(string kind) => new QdrantFilter().Must(Match(TrackPayload.Kind, kind));

    /// <summary>Adds the conditions of <paramref name="filter"/>, on the lower-cased keys every point carries.</summary>
    public QdrantFilter Matching(TrackFilter filter)
    {
        AnyOf(_must, TrackPayload.ArtistKey, filter.Artists);
        AnyOf(_must, TrackPayload.AlbumKey, filter.Albums);
        AnyOf(_must, TrackPayload.GenreKey, filter.Genres);
        AnyOf(_must, TrackPayload.TagKeys, filter.Tags);
        if (filter.YearFrom is not null || filter.YearTo is not null)
        {
            _must.Add(Range(TrackPayload.Year, gte: filter.YearFrom, lte: filter.YearTo));
        }
        if (filter.BpmFrom is not null || filter.BpmTo is not null)
        {
            _must.Add(Range(TrackPayload.Bpm, gte: filter.BpmFrom, lte: filter.BpmTo));
        }
        AnyOf(_mustNot, TrackPayload.ArtistKey, filter.ExcludeArtists);
        AnyOf(_mustNot, TrackPayload.AlbumKey, filter.ExcludeAlbums);
        if (filter.ExcludeTracks is { Count: > 0 } tracks)
        {
            _mustNot.Add(MatchAny(TrackPayload.TrackId, tracks.Select(id => id.Value)));
        }
        return this;
    }

    public JsonObject ToJson()
    {
        var filter = new JsonObject();
        if (_must.Count > 0)
        {
            filter["must"] = _must.DeepClone();
        }
        if (_mustNot.Count > 0)
        {
            filter["must_not"] = _mustNot.DeepClone();
        }
        return filter;
    }

    public static JsonObject Match(string key, string value) => new() { ["key"] = key, ["match"] = new JsonObject { ["value"] = value } };

    public static JsonObject Match(string key, long value) => new() { ["key"] = key, ["match"] = new JsonObject { ["value"] = value } };

    /// <summary>The field has one of the values (duplicates dropped: the contract wants unique items).</summary>
    public static JsonObject MatchAny(string key, IEnumerable<string> values) => new()
    {
        ["key"] = key,
        ["match"] = new JsonObject { ["any"] = new JsonArray([.. values.Distinct(StringComparer.Ordinal).Select(value => JsonValue.Create(value))]) },
    };

    /// <summary>Full-text match: every token of <paramref name="text"/> is among the field's tokens (as its index tokenizes).</summary>
    public static JsonObject MatchText(string key, string text) => new() { ["key"] = key, ["match"] = new JsonObject { ["text"] = text } };

    public static JsonObject Range(string key, double? gt = null, double? gte = null, double? lt = null, double? lte = null)
    {
        var range = new JsonObject();
        Bound(range, "gt", gt);
        Bound(range, "gte", gte);
        Bound(range, "lt", lt);
        Bound(range, "lte", lte);
        return new JsonObject { ["key"] = key, ["range"] = range };
    }

    public static JsonObject IsEmpty(string key) => new() { ["is_empty"] = new JsonObject { ["key"] = key } };

    public static JsonObject HasId(IEnumerable<Guid> ids) => new() { ["has_id"] = PointIds(ids.Distinct()) };

    /// <summary>A nested filter that holds when any of the conditions does.</summary>
    public static JsonObject AnyOf(params JsonObject[] conditions) => new() { ["should"] = new JsonArray(conditions) };

    /// <summary>
    /// Which stored points a write may overwrite: those whose version it supersedes (<see cref="TrackChange.Supersedes"/>).
    /// Sent as <c>update_filter</c> or with the write's selector, so that a newer write that landed between this
    /// store's read and its write is never undone, even by another process.
    /// </summary>
    public static JsonObject Supersedable(TrackChange change)
    {
        if (change.Kind == ChangeKind.Remove)
        {
            return Range(TrackPayload.Version, lte: change.Version);
        }
        var sameVersionNotRemoved = new QdrantFilter()
            .Must(Match(TrackPayload.Version, change.Version))
            .MustNot(Match(TrackPayload.Status, TrackPayload.Removed))
            .ToJson();
        return AnyOf(Range(TrackPayload.Version, lt: change.Version), sameVersionNotRemoved);
    }

    public static JsonArray PointIds(IEnumerable<Guid> ids) => new([.. ids.Select(id => JsonValue.Create(id.ToString()))]);

    private static void AnyOf(JsonArray conditions, string key, IReadOnlyList<string>? values)
    {
        if (values is { Count: > 0 })
        {
            conditions.Add(MatchAny(key, values.Select(TrackFilter.Key)));
        }
    }

    private static void Bound(JsonObject range, string name, double? value)
    {
        if (value is { } bound)
        {
            range[name] = bound;
        }
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MusicSearch.Core.Catalog;

namespace MusicSearch.Core.Storage.Qdrant;

/// <summary>
/// The payload of the two kinds of points in a collection, and how it maps to <see cref="Track"/> and
/// <see cref="TrackState"/>.
/// <list type="bullet">
/// <item>A track point (id <see cref="TrackId.ToPointId"/>) holds the catalog fields as given, their lower-cased keys
/// for exact filters, the indexing state, the text fields for text search, and <see cref="TrackOrderKey"/> fields for
/// listing in id order. It has the <c>track</c> vector while the track has vectors; a removed track stays as a
/// vectorless tombstone (status <c>removed</c>) so that older events cannot bring it back.</item>
/// <item>A window point (id <see cref="WindowPointId"/>) holds one <c>window</c> vector, its position and span, and a
/// copy of the track's filter keys, so that window searches filter without a join.</item>
/// </list>
/// Unknown values are left out rather than stored as null: Qdrant's conditions then never match them and
/// <c>is_empty</c> finds them, as <see cref="TrackFilter.Matches"/> requires.
/// </summary>
internal static class TrackPayload
{
    public const string Kind = "kind";
    public const string TrackKind = "track";
    public const string WindowKind = "window";

    public const string TrackId = "track_id";
    public const string Status = "status";
    public const string Version = "version";
    public const string Title = "title";
    public const string Artist = "artist";
    public const string Album = "album";
    public const string Genre = "genre";
    public const string Year = "year";
    public const string Bpm = "bpm";
    public const string Duration = "duration_s";
    public const string AudioUri = "audio_uri";
    public const string Tags = "tags";
    public const string ArtistKey = "artist_key";
    public const string AlbumKey = "album_key";
    public const string GenreKey = "genre_key";
    public const string TagKeys = "tag_keys";
    public const string Text = "text";
    public const string Attempts = "attempts";
    public const string FailureCode = "failure_code";
    public const string FailureReason = "failure_reason";
    public const string ModelVersion = "model_version";
    public const string IndexedAt = "indexed_at";
    public const string UpdatedAt = "updated_at";
    public const string WindowIndex = "window_index";
    public const string Start = "start_s";
    public const string WindowDuration = "window_duration_s";

    public const string Removed = "removed";

    /// <summary>Statuses of tracks that exist (everything but tombstones).</summary>
    public static readonly string[] LiveStatuses = ["pending", "indexed", "failed"];

    public static string StatusName(TrackStatus status) => status switch
    {
        TrackStatus.Pending => "pending",
        TrackStatus.Indexed => "indexed",
        TrackStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not a track status"),
    };

    /// <summary>The payload of a track point after <paramref name="change"/> (not a removal).</summary>
    public static JsonObject ForTrack(TrackChange change, DateTimeOffset now, string? modelVersion, DateTimeOffset? indexedAt)
    {
        var track = change.Track!;
        var payload = new JsonObject
        {
            [Kind] = TrackKind,
            [TrackId] = track.Id.Value,
            [Status] = StatusName(change.Status!.Value),
            [Version] = change.Version,
            [Title] = track.Title,
            [AudioUri] = track.AudioUri,
            [Text] = string.Join(' ', new[] { track.Title, track.Artist, track.Album }.Where(part => !string.IsNullOrEmpty(part))),
            [Attempts] = change.Attempts,
            [UpdatedAt] = Timestamp(now),
        };
        AddIfKnown(payload, Artist, track.Artist);
        AddIfKnown(payload, Album, track.Album);
        AddIfKnown(payload, Genre, track.Genre);
        AddIfKnown(payload, Year, track.Year);
        AddIfKnown(payload, Bpm, track.Bpm);
        AddIfKnown(payload, Duration, track.DurationSeconds);
        if (track.Tags.Count > 0)
        {
            payload[Tags] = new JsonArray([.. track.Tags.Select(tag => JsonValue.Create(tag))]);
        }
        AddFilterKeys(payload, track);
        AddIfKnown(payload, FailureCode, change.FailureCode);
        AddIfKnown(payload, FailureReason, change.FailureReason);
        AddIfKnown(payload, ModelVersion, modelVersion);
        AddIfKnown(payload, IndexedAt, indexedAt is { } at ? Timestamp(at) : null);
        var levels = TrackOrderKey.Levels(track.Id);
        for (var level = 0; level < levels.Length; level++)
        {
            payload[TrackOrderKey.Field(level)] = levels[level];
        }
        return payload;
    }

    /// <summary>A removed track: only what ordering later events needs.</summary>
    public static JsonObject ForTombstone(TrackChange removal) => new()
    {
        [Kind] = TrackKind,
        [TrackId] = removal.Id.Value,
        [Status] = Removed,
        [Version] = removal.Version,
    };

    public static JsonObject ForWindow(Track track, long version, int index, WindowVector window)
    {
        var payload = new JsonObject
        {
            [Kind] = WindowKind,
            [WindowIndex] = index,
            [Start] = window.StartSeconds,
            [WindowDuration] = window.DurationSeconds,
        };
        AddWindowFilterFields(payload, track, version);
        return payload;
    }

    /// <summary>What a window copies from its track: the id, the version that wrote it and the filter keys.</summary>
    public static JsonObject WindowFilterFields(Track track, long version)
    {
        var payload = new JsonObject();
        AddWindowFilterFields(payload, track, version);
        return payload;
    }

    /// <summary>Filter keys that a window may lack after its track changed, removed before the new ones are set.</summary>
    public static readonly string[] WindowOptionalFields = [Year, Bpm, ArtistKey, AlbumKey, GenreKey, TagKeys];

    public static Track ReadTrack(JsonElement payload) => new()
    {
        Id = new TrackId(String(payload, TrackId) ?? throw Damaged("a point without a track id")),
        Title = String(payload, Title) ?? "",
        Artist = String(payload, Artist),
        Album = String(payload, Album),
        Genre = String(payload, Genre),
        Year = payload.TryGetProperty(Year, out var year) && year.ValueKind == JsonValueKind.Number ? year.GetInt32() : null,
        Bpm = Number(payload, Bpm),
        DurationSeconds = Number(payload, Duration),
        AudioUri = String(payload, AudioUri) ?? "",
        Tags = payload.TryGetProperty(Tags, out var tags) && tags.ValueKind == JsonValueKind.Array
            ? [.. tags.EnumerateArray().Select(tag => tag.GetString()!)]
            : [],
    };

    public static TrackState ReadState(JsonElement payload) => new(ReadStatus(payload), Long(payload, Version), Time(payload, UpdatedAt) ?? default)
    {
        Attempts = payload.TryGetProperty(Attempts, out var attempts) && attempts.ValueKind == JsonValueKind.Number ? attempts.GetInt32() : 0,
        FailureCode = String(payload, FailureCode),
        FailureReason = String(payload, FailureReason),
        ModelVersion = String(payload, ModelVersion),
        IndexedAt = Time(payload, IndexedAt),
    };

    public static TrackRecord ReadRecord(JsonElement payload) => new(ReadTrack(payload), ReadState(payload));

    public static bool IsLive(JsonElement payload) => String(payload, Status) is { } status && status != Removed;

    public static bool HasVectors(JsonElement payload) => String(payload, ModelVersion) is not null;

    public static string? String(JsonElement payload, string key) =>
        payload.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static long Long(JsonElement payload, string key) =>
        payload.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : throw Damaged($"a point without {key}");

    public static double? Number(JsonElement payload, string key) =>
        payload.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    public static DateTimeOffset? Time(JsonElement payload, string key) =>
        String(payload, key) is { } text ? DateTimeOffset.ParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None) : null;

    public static TrackStoreException Damaged(string what) => new($"the collection holds {what}: it was not written by this store");

    private static TrackStatus ReadStatus(JsonElement payload) => String(payload, Status) switch
    {
        "pending" => TrackStatus.Pending,
        "indexed" => TrackStatus.Indexed,
        "failed" => TrackStatus.Failed,
        var other => throw Damaged($"a point with status '{other}'"),
    };

    private static string Timestamp(DateTimeOffset time) => time.ToString("O", CultureInfo.InvariantCulture);

    private static void AddFilterKeys(JsonObject payload, Track track)
    {
        AddIfKnown(payload, ArtistKey, track.Artist is { } artist ? TrackFilter.Key(artist) : null);
        AddIfKnown(payload, AlbumKey, track.Album is { } album ? TrackFilter.Key(album) : null);
        AddIfKnown(payload, GenreKey, track.Genre is { } genre ? TrackFilter.Key(genre) : null);
        if (track.Tags.Count > 0)
        {
            payload[TagKeys] = new JsonArray([.. track.Tags.Select(TrackFilter.Key).Distinct(StringComparer.Ordinal).Select(tag => JsonValue.Create(tag))]);
        }
    }

    private static void AddWindowFilterFields(JsonObject payload, Track track, long version)
    {
        payload[TrackId] = track.Id.Value;
        payload[Version] = version;
        AddIfKnown(payload, Year, track.Year);
        AddIfKnown(payload, Bpm, track.Bpm);
        AddFilterKeys(payload, track);
    }

    private static void AddIfKnown(JsonObject payload, string key, string? value)
    {
        if (value is not null)
        {
            payload[key] = value;
        }
    }

    private static void AddIfKnown(JsonObject payload, string key, int? value)
    {
        if (value is { } known)
        {
            payload[key] = known;
        }
    }

    private static void AddIfKnown(JsonObject payload, string key, double? value)
    {
        if (value is { } known)
        {
            payload[key] = known;
        }
    }
}

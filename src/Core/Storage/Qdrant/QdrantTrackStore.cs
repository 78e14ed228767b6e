using System.Text.Json;
using System.Text.Json.Nodes;
using MusicSearch.Core.Catalog;

namespace MusicSearch.Core.Storage.Qdrant;

/// <summary>
/// One collection in Qdrant (see <see cref="QdrantTrackCollections"/> for the collection's layout and
/// <see cref="TrackPayload"/> for its points). Nothing is cached between calls: every read asks Qdrant, so several
/// processes (indexer replicas, Api replicas) may share a collection.
/// </summary>
/// <remarks>
/// Window vectors are separate points (named vector <c>window</c>) that carry their track's id, not a multivector on the
/// track point: a window search must say which window matched, rank windows one by one and allow several per track, while
/// a <c>max_sim</c> multivector scores a track by its best window only and names none. Separate points also avoid the
/// multivector cap of 1,048,576 numbers per point (1,024 windows of 1024 dims, 8.5 hours of audio) and keep the track
/// vector's HNSW graph free of window-sized points. Per-track grouping comes from <c>/points/query/groups</c> on
/// <c>track_id</c>.
/// </remarks>
internal sealed partial class QdrantTrackStore : ITrackStore
{
    private const string TrackVector = QdrantTrackCollections.TrackVector;
    private const string WindowVector = QdrantTrackCollections.WindowVector;
    private const int MaxWindowsPerTrack = 100_000;

    private readonly QdrantHttp _http;
    private readonly QdrantStoreOptions _options;
    private readonly string _points;
    private readonly string _collection;
    private int _orderLevels;

    public QdrantTrackStore(QdrantHttp http, QdrantStoreOptions options, CollectionInfo info, string collection, int orderLevels)
    {
        _http = http;
        _options = options;
        Info = info;
        _collection = $"/collections/{collection}";
        _points = $"{_collection}/points";
        _orderLevels = orderLevels;
    }

    public CollectionInfo Info { get; }

    public async Task<TrackRecord?> GetAsync(TrackId id, bool withVectors = false, CancellationToken cancellationToken = default)
    {
        if (id == default)
        {
            throw new ArgumentException("the track id is uninitialised", nameof(id));
        }
        var points = await RetrieveAsync([id.ToPointId()], withVectors, cancellationToken).ConfigureAwait(false);
        if (points.Count == 0 || !TrackPayload.IsLive(Payload(points[0])))
        {
            return null;
        }
        return (await RecordsAsync(points, withVectors, cancellationToken).ConfigureAwait(false))[0];
    }

    /// <summary>Counts by status in one <c>/facet</c> over the status keyword (exact counts; tombstones left out).</summary>
    public async Task<StatusCounts> CountAsync(CancellationToken cancellationToken = default)
    {
        var request = new JsonObject
        {
            ["key"] = TrackPayload.Status,
            ["filter"] = QdrantFilter.OfKind(TrackPayload.TrackKind).ToJson(),
            ["exact"] = true,
            ["limit"] = 8,
        };
        var result = await _http.PostAsync($"{_collection}/facet", request, cancellationToken).ConfigureAwait(false);
        long pending = 0, indexed = 0, failed = 0;
        foreach (var hit in result.GetProperty("hits").EnumerateArray())
        {
            var count = hit.GetProperty("count").GetInt64();
            switch (hit.GetProperty("value").GetString())
            {
                case "pending":
                    pending = count;
                    break;
                case "indexed":
                    indexed = count;
                    break;
                case "failed":
                    failed = count;
                    break;
                default:
                    break;
            }
        }
        return new StatusCounts(pending, indexed, failed);
    }

    public async Task<TrackPage> ListAsync(TrackListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var statuses = query.Status is { } status ? [TrackPayload.StatusName(status)] : TrackPayload.LiveStatuses;
        var scan = new IdOrderScan(this, () => QdrantFilter.OfKind(TrackPayload.TrackKind).Must(QdrantFilter.MatchAny(TrackPayload.Status, statuses)),
            await OrderLevelsAsync(cancellationToken).ConfigureAwait(false));
        // One more than asked tells whether another page follows.
        var points = await scan.PageAsync(query.After, query.Limit + 1, cancellationToken).ConfigureAwait(false);
        var more = points.Count > query.Limit;
        var page = more ? points.GetRange(0, query.Limit) : points;
        if (query.WithVectors)
        {
            page = await RetrieveAsync([.. page.Select(point => PointId(point))], withVectors: true, cancellationToken).ConfigureAwait(false);
        }
        var records = await RecordsAsync(page, query.WithVectors, cancellationToken).ConfigureAwait(false);
        return new TrackPage(records, more ? records[^1].Track.Id : null);
    }

    /// <summary>
    /// How many <c>order_N</c> indexes the collection has now (another process may have added some for longer ids).
    /// </summary>
    private async Task<int> OrderLevelsAsync(CancellationToken cancellationToken)
    {
        var info = await _http.GetAsync(_collection, cancellationToken).ConfigureAwait(false);
        var levels = QdrantTrackCollections.OrderLevels(info.GetProperty("payload_schema"));
        InterlockedMax(ref _orderLevels, levels);
        return levels;
    }

    /// <summary>One page of <c>/points/scroll</c>: the points and the next page's offset (null on the last).</summary>
    internal async Task<(List<JsonElement> Points, JsonElement? Next)> ScrollAsync(JsonObject request, CancellationToken cancellationToken)
    {
        var result = await _http.PostAsync($"{_points}/scroll", request, cancellationToken).ConfigureAwait(false);
        var points = result.GetProperty("points").EnumerateArray().ToList();
        JsonElement? next = result.TryGetProperty("next_page_offset", out var offset) && offset.ValueKind != JsonValueKind.Null ? offset : null;
        return (points, next);
    }

    /// <summary>Track points by id (those that exist), in the order asked, with their track vector when asked.</summary>
    private async Task<List<JsonElement>> RetrieveAsync(IReadOnlyList<Guid> ids, bool withVectors, CancellationToken cancellationToken, JsonNode? payload = null)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        var request = new JsonObject
        {
            ["ids"] = QdrantFilter.PointIds(ids),
            ["with_payload"] = payload ?? true,
            ["with_vector"] = withVectors ? new JsonArray(TrackVector) : false,
        };
        var result = await _http.PostAsync(_points, request, cancellationToken).ConfigureAwait(false);
        var byId = result.EnumerateArray().ToDictionary(PointId);
        return [.. ids.Distinct().Where(byId.ContainsKey).Select(id => byId[id])];
    }

    /// <summary>Records of track points; with their windows (one scroll for all of them) when vectors are asked for.</summary>
    private async Task<List<TrackRecord>> RecordsAsync(List<JsonElement> points, bool withVectors, CancellationToken cancellationToken)
    {
        var windows = withVectors
            ? await WindowsAsync(points.Select(point => Payload(point)).ToDictionary(
                payload => TrackPayload.String(payload, TrackPayload.TrackId)!, payload => TrackPayload.Long(payload, TrackPayload.Version), StringComparer.Ordinal), cancellationToken)
                .ConfigureAwait(false)
            : null;
        var records = new List<TrackRecord>(points.Count);
        foreach (var point in points)
        {
            var record = TrackPayload.ReadRecord(Payload(point));
            if (withVectors && JsonVectors.Named(point, TrackVector) is { } vector)
            {
                record = record with { Vectors = new TrackVectors(vector, windows!.GetValueOrDefault(record.Track.Id.Value) ?? []) };
            }
            records.Add(record);
        }
        return records;
    }

    /// <summary>
    /// The windows of some tracks with their vectors, in window order, by track id; only those written with the track's
    /// current version (<see cref="IsCurrent"/>).
    /// </summary>
    private async Task<Dictionary<string, List<WindowVector>>> WindowsAsync(Dictionary<string, long> versions, CancellationToken cancellationToken)
    {
        var trackIds = versions.Keys.ToList();
        var found = new Dictionary<string, List<(int Index, WindowVector Window)>>(StringComparer.Ordinal);
        if (trackIds.Count > 0)
        {
            JsonElement? offset = null;
            var read = 0;
            do
            {
                var request = new JsonObject
                {
                    ["filter"] = QdrantFilter.OfKind(TrackPayload.WindowKind).Must(QdrantFilter.MatchAny(TrackPayload.TrackId, trackIds)).ToJson(),
                    ["limit"] = 1024,
                    ["with_payload"] = WindowFields(),
                    ["with_vector"] = new JsonArray(WindowVector),
                };
                if (offset is { } next)
                {
                    request["offset"] = JsonValue.Create(next);
                }
                (var points, offset) = await ScrollAsync(request, cancellationToken).ConfigureAwait(false);
                foreach (var point in points)
                {
                    var payload = Payload(point);
                    if (!IsCurrent(payload, versions))
                    {
                        continue;
                    }
                    var window = new WindowVector(TrackPayload.Number(payload, TrackPayload.Start) ?? 0, TrackPayload.Number(payload, TrackPayload.WindowDuration) ?? 0,
                        JsonVectors.Named(point, WindowVector) ?? throw TrackPayload.Damaged("a window point without its vector"));
                    var trackId = TrackPayload.String(payload, TrackPayload.TrackId)!;
                    if (!found.TryGetValue(trackId, out var list))
                    {
                        found[trackId] = list = [];
                    }
                    list.Add(((int)TrackPayload.Long(payload, TrackPayload.WindowIndex), window));
                }
                read += points.Count;
            }
            while (offset is not null && read < MaxWindowsPerTrack * trackIds.Count);
        }
        return found.ToDictionary(pair => pair.Key, pair => pair.Value.OrderBy(entry => entry.Index).Select(entry => entry.Window).ToList(), StringComparer.Ordinal);
    }

    private static JsonArray WindowFields() =>
        new(TrackPayload.TrackId, TrackPayload.Version, TrackPayload.WindowIndex, TrackPayload.Start, TrackPayload.WindowDuration);

    /// <summary>
    /// Whether a window belongs to its track's current vectors. A write that lost a race with a newer one (see
    /// <see cref="QdrantFilter.Supersedable"/>) cannot overwrite existing points, but Qdrant still inserts the new ones, so
    /// it may leave windows past the newer write's last; they keep the old version and are ignored until the track's
    /// next write removes them.
    /// </summary>
    private static bool IsCurrent(JsonElement window, Dictionary<string, long> trackVersions) =>
        trackVersions.TryGetValue(TrackPayload.String(window, TrackPayload.TrackId)!, out var version) && TrackPayload.Long(window, TrackPayload.Version) == version;

    internal static JsonElement Payload(JsonElement point) =>
        point.TryGetProperty("payload", out var payload) && payload.ValueKind == JsonValueKind.Object ? payload : throw TrackPayload.Damaged("a point without payload");

    internal static Guid PointId(JsonElement point) =>
        point.GetProperty("id") is { ValueKind: JsonValueKind.String } id && Guid.TryParse(id.GetString(), out var guid)
            ? guid
            : throw TrackPayload.Damaged("a point whose id is not a UUID");
}

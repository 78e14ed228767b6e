using System.Text.Json.Nodes;
using MusicSearch.Core.Catalog;

namespace MusicSearch.Core.Storage.Qdrant;

internal sealed partial class QdrantTrackStore
{
    public Task<IReadOnlyList<WriteOutcome>> UpsertAsync(IReadOnlyList<TrackPoint> points, CancellationToken cancellationToken = default) =>
        WriteAsync(points, point => TrackChange.From(point, Info.Dimensions), cancellationToken);

    public Task<IReadOnlyList<WriteOutcome>> MarkPendingAsync(IReadOnlyList<PendingTrack> tracks, CancellationToken cancellationToken = default) =>
        WriteAsync(tracks, TrackChange.From, cancellationToken);

    public Task<IReadOnlyList<WriteOutcome>> MarkFailedAsync(IReadOnlyList<TrackFailure> failures, CancellationToken cancellationToken = default) =>
        WriteAsync(failures, TrackChange.From, cancellationToken);

    public Task<IReadOnlyList<WriteOutcome>> RemoveAsync(IReadOnlyList<TrackRemoval> removals, CancellationToken cancellationToken = default) =>
        WriteAsync(removals, TrackChange.From, cancellationToken);

    /// <summary>
    /// Validates the whole batch, reads the stored version of its tracks, decides each write's outcome in batch order
    /// (<see cref="TrackChange.Supersedes"/>), and sends the applied writes as <c>/points/batch</c> requests of at most
    /// <see cref="QdrantStoreOptions.MaxPointsPerRequest"/> points, with <c>wait=true</c> (acknowledged once applied) and
    /// <c>ordering=medium</c> (through the shard leader, so replicas apply writes in one order). Every operation also
    /// carries a version guard (<see cref="QdrantFilter.Supersedable"/>), so a write that lost a race with a newer one in
    /// another process changes nothing. A batch split over several requests is not atomic; every request is idempotent,
    /// so a caller that retries the batch after a failure converges.
    /// </summary>
    private async Task<IReadOnlyList<WriteOutcome>> WriteAsync<T>(IReadOnlyList<T> items, Func<T, TrackChange> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var changes = items.Select(change).ToList();
        if (changes.Count == 0)
        {
            return [];
        }
        var stored = await StoredStatesAsync([.. changes.Select(c => c.Id).Distinct()], cancellationToken).ConfigureAwait(false);
        var now = _options.TimeProvider.GetUtcNow();
        var outcomes = new WriteOutcome[changes.Count];
        var plan = new WritePlan(_options.MaxPointsPerRequest);
        for (var i = 0; i < changes.Count; i++)
        {
            var current = changes[i];
            var before = stored.GetValueOrDefault(current.Id);
            if (before is not null && !current.Supersedes(before.Version, before.Removed))
            {
                outcomes[i] = WriteOutcome.Stale;
                continue;
            }
            outcomes[i] = WriteOutcome.Applied;
            stored[current.Id] = Plan(plan, current, before, now);
        }
        await EnsureOrderIndexesAsync(changes, cancellationToken).ConfigureAwait(false);
        foreach (var operations in plan.Requests)
        {
            await _http.PostAsync($"{_points}/batch?wait=true&ordering=medium", new JsonObject { ["operations"] = operations }, cancellationToken)
                .ConfigureAwait(false);
        }
        return outcomes;
    }

    /// <summary>Adds the operations of one applied change to the plan; returns the track's state after it.</summary>
    private StoredState Plan(WritePlan plan, TrackChange change, StoredState? before, DateTimeOffset now)
    {
        var id = change.Id.ToPointId();
        switch (change.Kind)
        {
            case ChangeKind.Index:
                var vectors = change.Vectors!;
                var points = new JsonArray(Point(id, new JsonObject { [TrackVector] = JsonVectors.Node(vectors.Vector) },
                    TrackPayload.ForTrack(change, now, Info.ModelVersion, change.IndexedAt)));
                for (var w = 0; w < vectors.Windows.Count; w++)
                {
                    points.Add(Point(WindowPointId.For(change.Id, w), new JsonObject { [WindowVector] = JsonVectors.Node(vectors.Windows[w].Vector) },
                        TrackPayload.ForWindow(change.Track!, change.Version, w, vectors.Windows[w])));
                }
                plan.Add(Upsert(points, change), points.Count);
                plan.Add(DeleteWindows(change, from: vectors.Windows.Count), 0);
                return new StoredState(change.Version, false, Info.ModelVersion, change.IndexedAt);
            case ChangeKind.Pending when before?.ModelVersion is { } model:
                // Earlier vectors stay searchable: only the payloads change, the track's and its windows' copy of the keys.
                plan.Add(PayloadOperation("overwrite_payload", TrackPayload.ForTrack(change, now, model, before.IndexedAt),
                    new QdrantFilter().Must(QdrantFilter.HasId([id])).Must(QdrantFilter.Supersedable(change))), 1);
                plan.Add(new JsonObject
                {
                    ["delete_payload"] = new JsonObject
                    {
                        ["keys"] = new JsonArray([.. TrackPayload.WindowOptionalFields.Select(key => JsonValue.Create(key))]),
                        ["filter"] = WindowsOf(change).ToJson(),
                    },
                }, 0);
                plan.Add(PayloadOperation("set_payload", TrackPayload.WindowFilterFields(change.Track!, change.Version), WindowsOf(change)), 0);
                return before with { Version = change.Version, Removed = false };
            case ChangeKind.Pending:
            case ChangeKind.Fail:
                plan.Add(Upsert(new JsonArray(Point(id, new JsonObject(), TrackPayload.ForTrack(change, now, null, null))), change), 1);
                plan.Add(DeleteWindows(change, from: 0), 0);
                return new StoredState(change.Version, false, null, null);
            default:
                plan.Add(Upsert(new JsonArray(Point(id, new JsonObject(), TrackPayload.ForTombstone(change))), change), 1);
                plan.Add(DeleteWindows(change, from: 0), 0);
                return new StoredState(change.Version, true, null, null);
        }
    }

    private static JsonObject Point(Guid id, JsonObject vectors, JsonObject payload) => new()
    {
        ["id"] = id.ToString(),
        ["vector"] = vectors,
        ["payload"] = payload,
    };

    private static JsonObject Upsert(JsonArray points, TrackChange change) => new()
    {
        ["upsert"] = new JsonObject { ["points"] = points, ["update_filter"] = new QdrantFilter().Must(QdrantFilter.Supersedable(change)).ToJson() },
    };

    private static JsonObject PayloadOperation(string operation, JsonObject payload, QdrantFilter filter) => new()
    {
        [operation] = new JsonObject { ["payload"] = payload, ["filter"] = filter.ToJson() },
    };

    /// <summary>The track's windows from index <paramref name="from"/> on, unless a newer write made them.</summary>
    private static JsonObject DeleteWindows(TrackChange change, int from)
    {
        var filter = WindowsOf(change);
        if (from > 0)
        {
            filter.Must(QdrantFilter.Range(TrackPayload.WindowIndex, gte: from));
        }
        return new JsonObject { ["delete"] = new JsonObject { ["filter"] = filter.ToJson() } };
    }

    private static QdrantFilter WindowsOf(TrackChange change) => QdrantFilter.OfKind(TrackPayload.WindowKind)
        .Must(QdrantFilter.Match(TrackPayload.TrackId, change.Id.Value))
        .Must(QdrantFilter.Supersedable(change));

    private async Task<Dictionary<TrackId, StoredState>> StoredStatesAsync(IReadOnlyList<TrackId> ids, CancellationToken cancellationToken)
    {
        var fields = new JsonArray(TrackPayload.TrackId, TrackPayload.Status, TrackPayload.Version, TrackPayload.ModelVersion, TrackPayload.IndexedAt);
        var points = await RetrieveAsync([.. ids.Select(id => id.ToPointId())], withVectors: false, cancellationToken, fields).ConfigureAwait(false);
        var states = new Dictionary<TrackId, StoredState>();
        foreach (var point in points)
        {
            var payload = Payload(point);
            states[new TrackId(TrackPayload.String(payload, TrackPayload.TrackId) ?? throw TrackPayload.Damaged("a point without a track id"))] = new StoredState(
                TrackPayload.Long(payload, TrackPayload.Version), !TrackPayload.IsLive(payload),
                TrackPayload.String(payload, TrackPayload.ModelVersion), TrackPayload.Time(payload, TrackPayload.IndexedAt));
        }
        return states;
    }

    /// <summary>
    /// Creates the integer indexes <c>order_N</c> that the batch's ids need (<see cref="TrackOrderKey"/>) before any point
    /// carries them, since Qdrant orders only by indexed fields. Creating an existing index again is harmless, so
    /// processes (or concurrent writes of this one) racing here agree.
    /// </summary>
    private async Task EnsureOrderIndexesAsync(List<TrackChange> changes, CancellationToken cancellationToken)
    {
        var needed = changes.Where(c => c.Kind != ChangeKind.Remove).Select(c => TrackOrderKey.LevelsFor(c.Id)).DefaultIfEmpty(0).Max();
        for (var level = Volatile.Read(ref _orderLevels); level < needed; level++)
        {
            await QdrantTrackCollections.CreateIndexAsync(_http, _collection, TrackOrderKey.Field(level), QdrantTrackCollections.IntegerIndex(), cancellationToken)
                .ConfigureAwait(false);
        }
        InterlockedMax(ref _orderLevels, needed);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) is var seen && seen != current)
        {
            current = seen;
        }
    }

    /// <summary>What a write needs to know of a stored track: its version, whether it is a tombstone, its vectors' model.</summary>
    private sealed record StoredState(long Version, bool Removed, string? ModelVersion, DateTimeOffset? IndexedAt);

    /// <summary>Update operations cut into requests of a bounded number of points (an operation is never split).</summary>
    private sealed class WritePlan(int maxPoints)
    {
        private JsonArray _current = [];
        private int _points;

        public List<JsonArray> Requests { get; } = [];

        public void Add(JsonObject operation, int points)
        {
            if (_current.Count > 0 && _points + points > maxPoints)
            {
                _current = [];
                _points = 0;
            }
            if (_current.Count == 0)
            {
                Requests.Add(_current);
            }
            _current.Add(operation);
            _points += points;
        }
    }
}

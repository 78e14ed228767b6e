using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MusicSearch.Core.Tests.Storage.Qdrant.OpenApi;

namespace MusicSearch.Core.Tests.Storage.Qdrant;

/// <summary>
/// An in-process stand-in for a Qdrant 1.19 server, as an <see cref="HttpMessageHandler"/>: the operations the track store
/// uses, with the semantics Qdrant documents (cosine vectors stored normalised, filters, <c>update_filter</c>, groups,
/// ordered scrolls, facets, atomic alias changes). Every request is checked against the OpenAPI document before it is
/// served and every answer after it is made; a violation fails the call with <see cref="OpenApiViolationException"/>.
/// </summary>
/// <remarks>
/// It answers with the store's own reading of Qdrant's documentation, so it pins the requests to the published contract
/// and exercises every code path of the store, but only a live server (the <c>QDRANT_URL</c> suite) proves the semantics.
/// </remarks>
internal sealed class FakeQdrant : HttpMessageHandler
{
    private readonly Dictionary<string, Collection> _collections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _aliases = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Runs before a request is served (outside the server's lock): lets a test slip another client's request in.</summary>
    public Func<HttpMethod, string, Task>? BeforeServing { get; set; }

    /// <summary>Every request served: method, path and query, body.</summary>
    public List<(HttpMethod Method, string PathAndQuery, string? Body)> Requests { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var uri = request.RequestUri!;
        var violations = QdrantOpenApi.Document.ValidateRequest(request.Method, uri, body);
        if (violations.Count > 0)
        {
            throw new OpenApiViolationException(violations);
        }
        if (BeforeServing is { } hook)
        {
            await hook(request.Method, uri.PathAndQuery);
        }
        HttpStatusCode status;
        JsonNode? result;
        lock (_lock)
        {
            Requests.Add((request.Method, uri.PathAndQuery, body));
            try
            {
                result = Serve(request.Method, uri.AbsolutePath.Trim('/').Split('/'), body is null ? null : JsonNode.Parse(body)!.AsObject());
                status = HttpStatusCode.OK;
            }
            catch (FakeQdrantError error)
            {
                (status, result) = (error.Status, null);
                return Answer(request.Method, uri.AbsolutePath, status, new JsonObject { ["status"] = new JsonObject { ["error"] = error.Message }, ["time"] = 0.0 });
            }
        }
        return Answer(request.Method, uri.AbsolutePath, status, new JsonObject { ["result"] = result, ["status"] = "ok", ["time"] = 0.0001 });
    }

    private static HttpResponseMessage Answer(HttpMethod method, string path, HttpStatusCode status, JsonObject answer)
    {
        var text = answer.ToJsonString();
        var violations = QdrantOpenApi.Document.ValidateResponse(method, path, (int)status, text);
        if (violations.Count > 0)
        {
            throw new OpenApiViolationException(violations);
        }
        return new HttpResponseMessage(status) { Content = new StringContent(text, Encoding.UTF8, "application/json") };
    }

    private JsonNode? Serve(HttpMethod method, string[] path, JsonObject? body) => (method.Method, path) switch
    {
        ("GET", ["collections"]) => new JsonObject { ["collections"] = new JsonArray([.. _collections.Keys.Order(StringComparer.Ordinal).Select(name => new JsonObject { ["name"] = name })]) },
        ("GET", ["aliases"]) => new JsonObject
        {
            ["aliases"] = new JsonArray([.. _aliases.Select(pair => new JsonObject { ["alias_name"] = pair.Key, ["collection_name"] = pair.Value })]),
        },
        ("POST", ["collections", "aliases"]) => ChangeAliases(body!),
        ("PUT", ["collections", var name]) => Create(name, body!),
        ("GET", ["collections", var name]) => Find(name).Describe(),
        ("DELETE", ["collections", var name]) => Delete(name),
        ("PUT", ["collections", var name, "index"]) => Find(name).CreateIndex(body!),
        ("POST", ["collections", var name, "points"]) => Find(name).Retrieve(body!),
        ("POST", ["collections", var name, "points", "batch"]) => Find(name).Batch(body!),
        ("POST", ["collections", var name, "points", "scroll"]) => Find(name).Scroll(body!),
        ("POST", ["collections", var name, "points", "count"]) => Find(name).Count(body!),
        ("POST", ["collections", var name, "facet"]) => Find(name).Facet(body!),
        ("POST", ["collections", var name, "points", "query"]) => Find(name).Query(body!),
        ("POST", ["collections", var name, "points", "query", "batch"]) => new JsonArray([.. body!["searches"]!.AsArray().Select(s => Find(name).Query(s!.AsObject()))]),
        ("POST", ["collections", var name, "points", "query", "groups"]) => Find(name).Groups(body!),
        _ => throw new FakeQdrantError(HttpStatusCode.NotFound, $"{method} /{string.Join('/', path)} is not emulated"),
    };

    private Collection Find(string name) =>
        _collections.GetValueOrDefault(_aliases.GetValueOrDefault(name, name))
        ?? throw new FakeQdrantError(HttpStatusCode.NotFound, $"Not found: Collection `{name}` doesn't exist!");

    private JsonNode Create(string name, JsonObject body)
    {
        if (_collections.ContainsKey(name) || _aliases.ContainsKey(name))
        {
            throw new FakeQdrantError(HttpStatusCode.Conflict, $"Wrong input: Collection `{name}` already exists!");
        }
        _collections[name] = new Collection(body);
        return true;
    }

    private JsonNode Delete(string name)
    {
        var existed = _collections.Remove(name);
        foreach (var alias in _aliases.Where(pair => pair.Value == name).Select(pair => pair.Key).ToList())
        {
            _aliases.Remove(alias);
        }
        return existed;
    }

    private JsonNode ChangeAliases(JsonObject body)
    {
        var next = new Dictionary<string, string>(_aliases, StringComparer.Ordinal);
        foreach (var action in body["actions"]!.AsArray().Select(a => a!.AsObject()))
        {
            if (action["create_alias"] is JsonObject create)
            {
                var alias = create["alias_name"]!.GetValue<string>();
                var collection = create["collection_name"]!.GetValue<string>();
                if (!_collections.ContainsKey(collection))
                {
                    throw new FakeQdrantError(HttpStatusCode.NotFound, $"Not found: Collection `{collection}` doesn't exist!");
                }
                if (!next.TryAdd(alias, collection))
                {
                    throw new FakeQdrantError(HttpStatusCode.Conflict, $"Wrong input: Alias `{alias}` already exists!");
                }
            }
            else if (action["delete_alias"] is JsonObject delete)
            {
                next.Remove(delete["alias_name"]!.GetValue<string>());
            }
        }
        // All or nothing, as Qdrant applies alias changes.
        _aliases.Clear();
        foreach (var pair in next)
        {
            _aliases[pair.Key] = pair.Value;
        }
        return true;
    }

    private sealed record StoredPoint(Guid Id, Dictionary<string, float[]> Vectors, JsonObject Payload);

    private sealed class Collection(JsonObject config)
    {
        private readonly SortedDictionary<Guid, StoredPoint> _points = new(Comparer<Guid>.Create((a, b) => string.CompareOrdinal(a.ToString(), b.ToString())));
        private readonly Dictionary<string, JsonObject> _indexes = new(StringComparer.Ordinal);
        private long _operations;

        private JsonObject VectorConfig => config["vectors"]!.AsObject();

        public JsonObject Describe() => new()
        {
            ["status"] = "green",
            ["optimizer_status"] = "ok",
            ["segments_count"] = 1,
            ["points_count"] = _points.Count,
            ["indexed_vectors_count"] = 0,
            ["config"] = new JsonObject
            {
                ["params"] = new JsonObject
                {
                    ["vectors"] = VectorConfig.DeepClone(),
                    ["shard_number"] = config["shard_number"]?.DeepClone() ?? 1,
                    ["replication_factor"] = config["replication_factor"]?.DeepClone() ?? 1,
                    ["write_consistency_factor"] = config["write_consistency_factor"]?.DeepClone() ?? 1,
                    ["on_disk_payload"] = true,
                },
                ["hnsw_config"] = new JsonObject { ["m"] = 16, ["ef_construct"] = 100, ["full_scan_threshold"] = 10000 },
                ["optimizer_config"] = new JsonObject { ["default_segment_number"] = 0, ["flush_interval_sec"] = 5 },
                ["quantization_config"] = config["quantization_config"]?.DeepClone(),
                ["metadata"] = config["metadata"]?.DeepClone(),
            },
            ["payload_schema"] = new JsonObject([.. _indexes.Select(pair => KeyValuePair.Create<string, JsonNode?>(pair.Key, new JsonObject
            {
                ["data_type"] = pair.Value is { } p && p["type"] is { } type ? type.DeepClone() : pair.Value.DeepClone(),
                ["params"] = pair.Value.DeepClone(),
                ["points"] = _points.Values.Count(point => point.Payload[pair.Key] is not null),
            }))]),
        };

        public JsonObject CreateIndex(JsonObject body)
        {
            var schema = body["field_schema"]!;
            _indexes[body["field_name"]!.GetValue<string>()] = schema is JsonObject parameters ? (JsonObject)parameters.DeepClone() : new JsonObject { ["type"] = schema.DeepClone() };
            return Completed();
        }

        public JsonArray Retrieve(JsonObject body) => new JsonArray([..
            body["ids"]!.AsArray().Select(id => Guid.Parse(id!.GetValue<string>())).Where(_points.ContainsKey)
                .Select(id => Record(_points[id], body["with_payload"] ?? true, body["with_vector"] ?? false))]);

        public JsonArray Batch(JsonObject body)
        {
            var results = new JsonArray();
            foreach (var operation in body["operations"]!.AsArray().Select(o => o!.AsObject()))
            {
                if (operation["upsert"] is JsonObject upsert)
                {
                    Upsert(upsert);
                }
                else if (operation["delete"] is JsonObject delete)
                {
                    foreach (var point in Selected(delete))
                    {
                        _points.Remove(point.Id);
                    }
                }
                else if (operation["set_payload"] is JsonObject set)
                {
                    foreach (var point in Selected(set))
                    {
                        foreach (var (key, value) in set["payload"]!.AsObject())
                        {
                            point.Payload[key] = value?.DeepClone();
                        }
                    }
                }
                else if (operation["overwrite_payload"] is JsonObject overwrite)
                {
                    foreach (var point in Selected(overwrite))
                    {
                        _points[point.Id] = point with { Payload = (JsonObject)overwrite["payload"]!.DeepClone() };
                    }
                }
                else if (operation["delete_payload"] is JsonObject deletePayload)
                {
                    foreach (var point in Selected(deletePayload))
                    {
                        foreach (var key in deletePayload["keys"]!.AsArray())
                        {
                            point.Payload.Remove(key!.GetValue<string>());
                        }
                    }
                }
                else
                {
                    throw new FakeQdrantError(HttpStatusCode.BadRequest, $"operation {operation.ToJsonString()} is not emulated");
                }
                results.Add(Completed());
            }
            return results;
        }

        public JsonObject Scroll(JsonObject body)
        {
            var limit = body["limit"]?.GetValue<int>() ?? 10;
            var matching = Filtered(body["filter"]);
            if (body["order_by"] is { } orderBy)
            {
                var key = orderBy is JsonObject o ? o["key"]!.GetValue<string>() : orderBy.GetValue<string>();
                if (!_indexes.ContainsKey(key))
                {
                    throw new FakeQdrantError(HttpStatusCode.BadRequest, $"Bad request: No range index for `order_by` key: `{key}`. Please create one to use `order_by`.");
                }
                var descending = orderBy is JsonObject d && d["direction"]?.GetValue<string>() == "desc";
                var ordered = matching.Where(p => p.Payload[key] is not null).Select(p => (Point: p, Value: p.Payload[key]!.GetValue<double>()));
                ordered = descending ? ordered.OrderByDescending(p => p.Value) : ordered.OrderBy(p => p.Value);
                return new JsonObject { ["points"] = new JsonArray([.. ordered.Take(limit).Select(p => Record(p.Point, body["with_payload"] ?? true, body["with_vector"] ?? false, p.Value))]) };
            }
            if (body["offset"] is { } offset)
            {
                var from = Guid.Parse(offset.GetValue<string>()).ToString();
                matching = [.. matching.Where(p => string.CompareOrdinal(p.Id.ToString(), from) >= 0)];
            }
            var page = matching.Take(limit + 1).ToList();
            return new JsonObject
            {
                ["points"] = new JsonArray([.. page.Take(limit).Select(p => Record(p, body["with_payload"] ?? true, body["with_vector"] ?? false))]),
                ["next_page_offset"] = page.Count > limit ? page[limit].Id.ToString() : null,
            };
        }

        public JsonObject Count(JsonObject body) => new JsonObject { ["count"] = Filtered(body["filter"]).Count };

        public JsonObject Facet(JsonObject body)
        {
            var key = body["key"]!.GetValue<string>();
            if (!_indexes.ContainsKey(key))
            {
                throw new FakeQdrantError(HttpStatusCode.BadRequest, $"Bad request: Index required but not found for \"{key}\"");
            }
            var hits = Filtered(body["filter"])
                .SelectMany(p => FakeQdrantFilters.Values(p.Payload, key).Select(v => v.GetValue<string>()).Distinct())
                .GroupBy(value => value)
                .OrderByDescending(group => group.Count()).ThenBy(group => group.Key, StringComparer.Ordinal)
                .Take(body["limit"]?.GetValue<int>() ?? 10);
            return new JsonObject { ["hits"] = new JsonArray([.. hits.Select(group => new JsonObject { ["value"] = group.Key, ["count"] = group.Count() })]) };
        }

        public JsonObject Query(JsonObject body)
        {
            var limit = body["limit"]?.GetValue<int>() ?? 10;
            var offset = body["offset"]?.GetValue<int>() ?? 0;
            return new JsonObject { ["points"] = new JsonArray([.. Scored(body).Skip(offset).Take(limit).Select(hit => ScoredPoint(hit, body))]) };
        }

        public JsonObject Groups(JsonObject body)
        {
            var key = body["group_by"]!.GetValue<string>();
            var size = body["group_size"]?.GetValue<int>() ?? 3;
            var groups = new List<(string Id, JsonNode Value, List<(StoredPoint Point, float Score)> Hits)>();
            foreach (var hit in Scored(body))
            {
                foreach (var value in FakeQdrantFilters.Values(hit.Point.Payload, key))
                {
                    var id = value.ToJsonString();
                    var group = groups.FirstOrDefault(g => g.Id == id);
                    if (group.Hits is null)
                    {
                        groups.Add(group = (id, value, []));
                    }
                    if (group.Hits.Count < size)
                    {
                        group.Hits.Add(hit);
                    }
                }
            }
            return new JsonObject
            {
                ["groups"] = new JsonArray([.. groups.Take(body["limit"]?.GetValue<int>() ?? 10).Select(group => new JsonObject
                {
                    ["id"] = group.Value.DeepClone(),
                    ["hits"] = new JsonArray([.. group.Hits.Select(hit => ScoredPoint(hit, body))]),
                })]),
            };
        }

        /// <summary>Every point with the query's vector that passes the filter, best first (ties by id), above the threshold.</summary>
        private List<(StoredPoint Point, float Score)> Scored(JsonObject body)
        {
            var name = body["using"]!.GetValue<string>();
            var query = body["query"]!.AsObject();
            var excluded = new HashSet<Guid>();
            float[] vector;
            if (query["nearest"] is { } nearest)
            {
                vector = Example(nearest, name, excluded);
            }
            else
            {
                var recommend = query["recommend"]!.AsObject();
                if (recommend["strategy"]?.GetValue<string>() is not (null or "average_vector"))
                {
                    throw new FakeQdrantError(HttpStatusCode.BadRequest, "only average_vector is emulated");
                }
                var positives = recommend["positive"]!.AsArray().Select(e => Example(e!, name, excluded)).ToList();
                var negatives = (recommend["negative"]?.AsArray() ?? []).Select(e => Example(e!, name, excluded)).ToList();
                var average = Average(positives);
                vector = negatives.Count == 0 ? average : [.. average.Select((x, i) => x + x - Average(negatives)[i])];
            }
            var unit = Normalised(vector, name);
            var threshold = body["score_threshold"]?.GetValue<float>();
            return [.. Filtered(body["filter"])
                .Where(p => p.Vectors.ContainsKey(name) && !excluded.Contains(p.Id))
                .Select(p => (Point: p, Score: Dot(p.Vectors[name], unit)))
                .Where(hit => threshold is not { } t || hit.Score >= t)
                .OrderByDescending(hit => hit.Score)];
        }

        /// <summary>A query example: a vector, or a point id whose stored vector is used (and which is then never returned).</summary>
        private float[] Example(JsonNode example, string name, HashSet<Guid> excluded)
        {
            if (example is JsonArray numbers)
            {
                return [.. numbers.Select(n => n!.GetValue<float>())];
            }
            var id = Guid.Parse(example.GetValue<string>());
            if (!_points.TryGetValue(id, out var point))
            {
                throw new FakeQdrantError(HttpStatusCode.NotFound, $"Not found: No point with id {id} found");
            }
            excluded.Add(id);
            return point.Vectors.GetValueOrDefault(name) ?? throw new FakeQdrantError(HttpStatusCode.BadRequest, $"Wrong input: Vector with name {name} is not set for point {id}");
        }

        private static float[] Average(List<float[]> vectors) =>
            [.. Enumerable.Range(0, vectors[0].Length).Select(i => vectors.Sum(v => v[i]) / vectors.Count)];

        private void Upsert(JsonObject upsert)
        {
            foreach (var node in upsert["points"]!.AsArray())
            {
                var id = Guid.Parse(node!["id"]!.GetValue<string>());
                var vectors = node["vector"]!.AsObject().ToDictionary(pair => pair.Key, pair => Normalised([.. pair.Value!.AsArray().Select(v => v!.GetValue<float>())], pair.Key));
                if (_points.TryGetValue(id, out var existing) && upsert["update_filter"] is { } guard
                    && !FakeQdrantFilters.Matches(guard, id, existing.Payload, TextIndex))
                {
                    continue;
                }
                _points[id] = new StoredPoint(id, vectors, (JsonObject?)node["payload"]?.DeepClone() ?? []);
            }
        }

        /// <summary>Cosine vectors are stored and compared normalised; a vector name or size the collection lacks is refused.</summary>
        private float[] Normalised(float[] vector, string name)
        {
            var size = VectorConfig[name]?["size"]?.GetValue<int>() ?? throw new FakeQdrantError(HttpStatusCode.BadRequest, $"Wrong input: Not existing vector name error: {name}");
            if (vector.Length != size)
            {
                throw new FakeQdrantError(HttpStatusCode.BadRequest, $"Wrong input: Vector dimension error: expected dim: {size}, got {vector.Length}");
            }
            var norm = (float)Math.Sqrt(vector.Sum(x => (double)x * x));
            return norm == 0 ? vector : [.. vector.Select(x => x / norm)];
        }

        private static float Dot(float[] a, float[] b)
        {
            var sum = 0f;
            for (var i = 0; i < a.Length; i++)
            {
                sum += a[i] * b[i];
            }
            return sum;
        }

        private List<StoredPoint> Filtered(JsonNode? filter) => [.. _points.Values.Where(p => FakeQdrantFilters.Matches(filter, p.Id, p.Payload, TextIndex))];

        private List<StoredPoint> Selected(JsonObject selector) => selector["points"] is JsonArray ids
            ? [.. ids.Select(id => Guid.Parse(id!.GetValue<string>())).Where(_points.ContainsKey).Select(id => _points[id])]
            : Filtered(selector["filter"]);

        private JsonObject? TextIndex(string key) => _indexes.GetValueOrDefault(key) is { } index && index["type"]?.GetValue<string>() == "text" ? index : null;

        private JsonObject Completed() => new() { ["operation_id"] = _operations++, ["status"] = "completed" };

        private static JsonObject ScoredPoint((StoredPoint Point, float Score) hit, JsonObject body)
        {
            var record = Record(hit.Point, body["with_payload"] ?? false, body["with_vector"] ?? false);
            record["score"] = hit.Score;
            record["version"] = 1;
            return record;
        }

        private static JsonObject Record(StoredPoint point, JsonNode withPayload, JsonNode withVector, double? orderValue = null)
        {
            var record = new JsonObject { ["id"] = point.Id.ToString() };
            record["payload"] = withPayload switch
            {
                JsonArray fields => new JsonObject([.. fields.Select(f => f!.GetValue<string>()).Where(point.Payload.ContainsKey)
                    .Select(f => KeyValuePair.Create(f, point.Payload[f]?.DeepClone()))]),
                _ when withPayload.GetValue<bool>() => point.Payload.DeepClone(),
                _ => null,
            };
            var names = withVector switch
            {
                JsonArray wanted => [.. wanted.Select(w => w!.GetValue<string>())],
                _ when withVector.GetValue<bool>() => point.Vectors.Keys.ToList(),
                _ => null,
            };
            if (names is not null)
            {
                record["vector"] = new JsonObject([.. names.Where(point.Vectors.ContainsKey)
                    .Select(n => KeyValuePair.Create<string, JsonNode?>(n, new JsonArray([.. point.Vectors[n].Select(x => JsonValue.Create(x))])))]);
            }
            if (orderValue is { } value)
            {
                record["order_value"] = value;
            }
            return record;
        }
    }

    private sealed class FakeQdrantError(HttpStatusCode status, string message) : Exception(message)
    {
        public HttpStatusCode Status { get; } = status;
    }
}

/// <summary>A request or answer that the OpenAPI document does not admit.</summary>
public sealed class OpenApiViolationException(IReadOnlyList<string> violations) : Exception("OpenAPI violations:\n" + string.Join('\n', violations))
{
    public IReadOnlyList<string> Violations { get; } = violations;
}

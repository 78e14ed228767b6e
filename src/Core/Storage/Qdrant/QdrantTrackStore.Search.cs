using System.Text.Json;
using System.Text.Json.Nodes;
using MusicSearch.Core.Catalog;

namespace MusicSearch.Core.Storage.Qdrant;

internal sealed partial class QdrantTrackStore
{
    public async Task<IReadOnlyList<SimilarTrack>> SearchAsync(SimilarityQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var resolved = (await ResolveAsync([query], cancellationToken).ConfigureAwait(false))[0];
        return await SearchResolvedAsync(resolved, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Every seed of every query is looked up in one request first, so an unknown seed fails the batch before anything
    /// is searched; queries without a per-artist limit then go in one <c>/points/query/batch</c>, the others one by one
    /// (their grouped search has no batch form).
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyList<SimilarTrack>>> SearchBatchAsync(IReadOnlyList<SimilarityQuery> queries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        foreach (var query in queries)
        {
            ArgumentNullException.ThrowIfNull(query, nameof(queries));
            query.Validate();
        }
        if (queries.Count == 0)
        {
            return [];
        }
        var resolved = await ResolveAsync(queries, cancellationToken).ConfigureAwait(false);
        var results = new IReadOnlyList<SimilarTrack>[queries.Count];
        var plain = Enumerable.Range(0, queries.Count).Where(i => queries[i].MaxPerArtist is null).ToList();
        if (plain.Count > 0)
        {
            var request = new JsonObject { ["searches"] = new JsonArray([.. plain.Select(i => QueryRequest(resolved[i], resolved[i].Filter(), resolved[i].Query.Offset, resolved[i].Query.Limit))]) };
            var answers = (await _http.PostAsync($"{_points}/query/batch", request, cancellationToken).ConfigureAwait(false)).EnumerateArray().ToList();
            for (var j = 0; j < plain.Count; j++)
            {
                results[plain[j]] = Similar(answers[j].GetProperty("points").EnumerateArray(), queries[plain[j]].MinScore);
            }
        }
        foreach (var i in Enumerable.Range(0, queries.Count).Where(i => queries[i].MaxPerArtist is not null))
        {
            results[i] = await SearchResolvedAsync(resolved[i], cancellationToken).ConfigureAwait(false);
        }
        return results;
    }

    /// <summary>
    /// The closest windows with at most <see cref="WindowQuery.MaxPerTrack"/> per track, searched like a quantized
    /// similarity search (HNSW over int8 codes, rescored in fp32): windows outnumber tracks several times, and a full
    /// scan of them is no interactive query. Segments too small for a graph are scanned exactly, as in the contract suite.
    /// <c>/points/query/groups</c> on
    /// <c>track_id</c> returns the best tracks with their best windows each; the best windows overall are among them
    /// (a track whose best window is not among the best <c>limit</c> tracks' cannot place a window in the top
    /// <c>limit</c>), so the groups are flattened, sorted and cut.
    /// </summary>
    public async Task<IReadOnlyList<WindowMatch>> SearchWindowsAsync(WindowQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate(Info.Dimensions);
        var request = new JsonObject
        {
            ["query"] = new JsonObject { ["nearest"] = JsonVectors.UnitNode(query.Vector) },
            ["using"] = WindowVector,
            ["filter"] = QdrantFilter.OfKind(TrackPayload.WindowKind).Matching(query.Filter).ToJson(),
            ["params"] = SearchParams(SearchPrecision.Quantized),
            ["group_by"] = TrackPayload.TrackId,
            ["group_size"] = query.MaxPerTrack,
            ["limit"] = query.Limit,
            ["with_payload"] = WindowFields(),
        };
        AddThreshold(request, query.MinScore);
        var result = await _http.PostAsync($"{_points}/query/groups", request, cancellationToken).ConfigureAwait(false);
        var hits = result.GetProperty("groups").EnumerateArray()
            .SelectMany(group => group.GetProperty("hits").EnumerateArray())
            .Select(hit => (Payload: Payload(hit), Score: hit.GetProperty("score").GetSingle()))
            .Where(hit => query.MinScore is not { } min || hit.Score >= min)
            .OrderByDescending(hit => hit.Score)
            .Take(query.Limit)
            .ToList();
        var trackIds = hits.Select(hit => new TrackId(TrackPayload.String(hit.Payload, TrackPayload.TrackId)!)).Distinct().ToList();
        var trackPoints = (await RetrieveAsync([.. trackIds.Select(id => id.ToPointId())], withVectors: false, cancellationToken).ConfigureAwait(false))
            .Select(Payload).Where(TrackPayload.HasVectors).ToList();
        var tracks = trackPoints.Select(TrackPayload.ReadTrack).ToDictionary(track => track.Id);
        var versions = trackPoints.ToDictionary(payload => TrackPayload.String(payload, TrackPayload.TrackId)!, payload => TrackPayload.Long(payload, TrackPayload.Version), StringComparer.Ordinal);
        return [.. hits
            .Where(hit => IsCurrent(hit.Payload, versions))
            .Select(hit => new WindowMatch(
                tracks[new TrackId(TrackPayload.String(hit.Payload, TrackPayload.TrackId)!)],
                (int)TrackPayload.Long(hit.Payload, TrackPayload.WindowIndex),
                TrackPayload.Number(hit.Payload, TrackPayload.Start) ?? 0,
                TrackPayload.Number(hit.Payload, TrackPayload.WindowDuration) ?? 0,
                hit.Score))];
    }

    /// <summary>
    /// A per-artist limit runs two searches: <c>/points/query/groups</c> by <c>artist_key</c> (at most N per artist) over
    /// tracks with an artist, and a plain query over those without one (never limited; Qdrant's groups skip them). The
    /// first offset + limit of each hold the answer's; merged by score, the offset is skipped.
    /// </summary>
    private async Task<IReadOnlyList<SimilarTrack>> SearchResolvedAsync(ResolvedSearch resolved, CancellationToken cancellationToken)
    {
        var query = resolved.Query;
        if (query.MaxPerArtist is not { } perArtist)
        {
            var result = await _http.PostAsync($"{_points}/query", QueryRequest(resolved, resolved.Filter(), query.Offset, query.Limit), cancellationToken).ConfigureAwait(false);
            return Similar(result.GetProperty("points").EnumerateArray(), query.MinScore);
        }
        var needed = query.Offset + query.Limit;
        var grouped = QueryRequest(resolved, resolved.Filter().MustNot(QdrantFilter.IsEmpty(TrackPayload.ArtistKey)), 0, needed);
        grouped.Remove("offset");
        grouped["group_by"] = TrackPayload.ArtistKey;
        grouped["group_size"] = perArtist;
        var groups = await _http.PostAsync($"{_points}/query/groups", grouped, cancellationToken).ConfigureAwait(false);
        var unknownArtist = await _http.PostAsync($"{_points}/query",
            QueryRequest(resolved, resolved.Filter().Must(QdrantFilter.IsEmpty(TrackPayload.ArtistKey)), 0, needed), cancellationToken).ConfigureAwait(false);
        var merged = groups.GetProperty("groups").EnumerateArray().SelectMany(group => group.GetProperty("hits").EnumerateArray())
            .Concat(unknownArtist.GetProperty("points").EnumerateArray())
            .OrderByDescending(point => point.GetProperty("score").GetSingle())
            .Skip(query.Offset)
            .Take(query.Limit);
        return Similar(merged, query.MinScore);
    }

    /// <summary>
    /// A <c>/points/query</c> request: <c>nearest</c> for one example (a stored track by its point id, or a vector), else
    /// <c>recommend</c> with the <c>average_vector</c> strategy, which is <see cref="QueryVector.Combine"/>'s formula
    /// (2·mean(positives) − mean(negatives) of unit vectors; raw vectors are normalised here, stored ones already are).
    /// </summary>
    private JsonObject QueryRequest(ResolvedSearch resolved, QdrantFilter filter, int offset, int limit)
    {
        var query = resolved.Query;
        JsonObject search;
        var negatives = query.Negative ?? [];
        if (query.Positive.Count == 1 && negatives.Count == 0)
        {
            search = new JsonObject { ["nearest"] = Example(query.Positive[0]) };
            if (_options.Diversity is { } diversity)
            {
                search["mmr"] = new JsonObject { ["diversity"] = diversity, ["candidates_limit"] = Math.Min(16_384, Math.Max(100, (offset + limit) * 4)) };
            }
        }
        else
        {
            search = new JsonObject
            {
                ["recommend"] = new JsonObject
                {
                    ["positive"] = new JsonArray([.. query.Positive.Select(Example)]),
                    ["negative"] = new JsonArray([.. negatives.Select(Example)]),
                    ["strategy"] = "average_vector",
                },
            };
        }
        var request = new JsonObject
        {
            ["query"] = search,
            ["using"] = TrackVector,
            ["filter"] = filter.ToJson(),
            ["params"] = SearchParams(query.Precision),
            ["limit"] = limit,
            ["offset"] = offset,
            ["with_payload"] = true,
        };
        AddThreshold(request, query.MinScore);
        return request;
    }

    private static JsonNode Example(QueryExample example) =>
        example.TrackId is { } id ? JsonValue.Create(id.ToPointId().ToString()) : JsonVectors.UnitNode(example.Vector!);

    /// <summary>Exact: a full fp32 scan, quantized copies ignored. Quantized: the HNSW graph over int8 codes, rescored in fp32.</summary>
    private JsonObject SearchParams(SearchPrecision precision) => precision == SearchPrecision.Exact
        ? new JsonObject { ["exact"] = true, ["quantization"] = new JsonObject { ["ignore"] = true } }
        : new JsonObject
        {
            ["exact"] = false,
            ["quantization"] = new JsonObject { ["ignore"] = false, ["rescore"] = _options.Rescore, ["oversampling"] = _options.Oversampling },
        };

    private static void AddThreshold(JsonObject request, float? minScore)
    {
        if (minScore is { } min)
        {
            request["score_threshold"] = min;
        }
    }

    /// <summary>Results as the contract returns them; the minimum score is applied again, inclusively, whatever Qdrant's edge.</summary>
    private static List<SimilarTrack> Similar(IEnumerable<JsonElement> points, float? minScore) =>
    [
        .. points
            .Select(point => new SimilarTrack(TrackPayload.ReadTrack(Payload(point)), point.GetProperty("score").GetSingle()))
            .Where(result => minScore is not { } min || result.Score >= min),
    ];

    /// <summary>
    /// Looks every seed track up (one request for all queries) and checks each query as the contract requires: unknown or
    /// vectorless seeds throw <see cref="UnknownTrackException"/>, examples that cancel out throw
    /// <see cref="ArgumentException"/> (from <see cref="QueryVector.Combine"/>, run on the seeds' stored vectors).
    /// </summary>
    private async Task<List<ResolvedSearch>> ResolveAsync(IReadOnlyList<SimilarityQuery> queries, CancellationToken cancellationToken)
    {
        var seedIds = queries.SelectMany(q => q.Positive.Concat(q.Negative ?? [])).Select(e => e?.TrackId).OfType<TrackId>().Distinct().ToList();
        var seeds = (await RetrieveAsync([.. seedIds.Select(id => id.ToPointId())], withVectors: true, cancellationToken).ConfigureAwait(false))
            .Where(point => TrackPayload.IsLive(Payload(point)) && JsonVectors.Named(point, TrackVector) is not null)
            .ToDictionary(point => new TrackId(TrackPayload.String(Payload(point), TrackPayload.TrackId)!));
        var resolved = new List<ResolvedSearch>(queries.Count);
        foreach (var query in queries)
        {
            var search = new ResolvedSearch(query);
            var positives = query.Positive.Select(example => search.Vector(example, seeds, isPositive: true)).ToList();
            var negatives = (query.Negative ?? []).Select(example => search.Vector(example, seeds, isPositive: false)).ToList();
            QueryVector.Combine(positives, negatives);
            resolved.Add(search);
        }
        return resolved;
    }

    /// <summary>A validated query and what its seeds exclude (themselves; their artists and albums when asked).</summary>
    private sealed class ResolvedSearch(SimilarityQuery query)
    {
        private readonly List<TrackId> _seeds = [];
        private readonly List<string> _artists = [];
        private readonly List<string> _albums = [];

        public SimilarityQuery Query { get; } = query;

        public QdrantFilter Filter() =>
            QdrantFilter.OfKind(TrackPayload.TrackKind).Matching(Query.Filter.Excluding(_seeds, _artists, _albums));

        public float[] Vector(QueryExample example, Dictionary<TrackId, JsonElement> seeds, bool isPositive)
        {
            if (example is null)
            {
                throw new ArgumentException("a query example is null");
            }
            if (example.TrackId is not { } id)
            {
                return example.Vector!;
            }
            if (!seeds.TryGetValue(id, out var point))
            {
                throw new UnknownTrackException(id, "is not in the collection or has no vectors (failed, or pending without earlier vectors)");
            }
            _seeds.Add(id);
            var track = TrackPayload.ReadTrack(Payload(point));
            if (isPositive && Query.ExcludeSeedArtists && track.Artist is { } artist)
            {
                _artists.Add(artist);
            }
            if (isPositive && Query.ExcludeSeedAlbums && track.Album is { } album)
            {
                _albums.Add(album);
            }
            return JsonVectors.Named(point, TrackVector)!;
        }
    }
}

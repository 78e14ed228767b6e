using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MusicSearch.Core.Storage.Qdrant;

/// <summary>
/// The track store in a Qdrant cluster, over its REST API (the OpenAPI document of Qdrant 1.19 is the contract; the
/// <c>/points/search</c> family it removed is never used).
/// <list type="bullet">
/// <item>One Qdrant collection per model version, named <see cref="CollectionInfo.NameFor"/> (after
/// <see cref="QdrantStoreOptions.Namespace"/>), with the model version and dimensions in its metadata; named cosine
/// vectors <c>track</c> and <c>window</c>; payload indexes for every filter field; optional scalar int8 quantisation;
/// shard and replica counts from the options.</item>
/// <item>The active collection is an alias (<see cref="QdrantStoreOptions.ActiveAlias"/>), switched with one atomic
/// <c>/collections/aliases</c> call; the previous collection is kept until it is dropped.</item>
/// </list>
/// Nothing is cached: every call asks the server, so any number of processes can share the store.
/// </summary>
public sealed class QdrantTrackCollections : ITrackCollections
{
    internal const string TrackVector = "track";
    internal const string WindowVector = "window";
    private const string MetadataModel = "musicsearch_model_version";
    private const string MetadataDimensions = "musicsearch_dimensions";

    private readonly QdrantStoreOptions _options;
    private readonly QdrantHttp _http;
    private bool _disposed;

    /// <param name="options">Where the server is and how collections are made.</param>
    /// <param name="handler">The HTTP handler to send through (tests, custom TLS); a plain one when null. Not disposed here.</param>
    /// <param name="logger">Retries are logged as warnings.</param>
    public QdrantTrackCollections(QdrantStoreOptions options, HttpMessageHandler? handler = null, ILogger<QdrantTrackCollections>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _http = new QdrantHttp(options, handler, logger ?? NullLogger<QdrantTrackCollections>.Instance);
    }

    /// <summary>The server this store talks to.</summary>
    public Uri Url => _options.Url!;

    private string Alias => _options.Namespace + _options.ActiveAlias;

    public async Task<ITrackStore> OpenAsync(string modelVersion, int dimensions, CancellationToken cancellationToken = default)
    {
        var name = CollectionInfo.NameFor(modelVersion);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dimensions, CollectionInfo.MaxDimensions);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var wanted = new CollectionInfo(name, modelVersion, dimensions);
        var existing = await DescribeAsync(name, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            await CreateAsync(wanted, cancellationToken).ConfigureAwait(false);
            // Another process may have created it first, for another model: read back what is there.
            existing = await DescribeAsync(name, cancellationToken).ConfigureAwait(false)
                ?? throw new TrackStoreUnavailableException($"collection {name} disappeared right after it was created");
        }
        var (info, schema) = existing.Value;
        if (info.ModelVersion != modelVersion)
        {
            throw new TrackStoreException($"collection {name} already holds model version '{info.ModelVersion}', not '{modelVersion}'");
        }
        if (info.Dimensions != dimensions)
        {
            throw new TrackStoreException($"collection {name} has {info.Dimensions} dimensions, not {dimensions}");
        }
        await EnsureIndexesAsync(name, schema, cancellationToken).ConfigureAwait(false);
        return Store(info, schema);
    }

    public async Task<ITrackStore?> GetActiveAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (await ActiveCollectionAsync(cancellationToken).ConfigureAwait(false) is not { } name)
        {
            return null;
        }
        var described = await DescribeAsync(name[_options.Namespace.Length..], cancellationToken).ConfigureAwait(false)
            ?? throw new TrackStoreException($"the active alias {Alias} names collection {name}, which does not exist");
        return Store(described.Info, described.Schema);
    }

    public async Task ActivateAsync(string modelVersion, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var name = CollectionInfo.NameFor(modelVersion);
        var described = await DescribeAsync(name, cancellationToken).ConfigureAwait(false);
        if (described?.Info.ModelVersion != modelVersion)
        {
            throw new TrackStoreException($"no collection of model version '{modelVersion}' exists");
        }
        var actions = new JsonArray();
        if (await ActiveCollectionAsync(cancellationToken).ConfigureAwait(false) is not null)
        {
            actions.Add(new JsonObject { ["delete_alias"] = new JsonObject { ["alias_name"] = Alias } });
        }
        actions.Add(new JsonObject { ["create_alias"] = new JsonObject { ["collection_name"] = _options.Namespace + name, ["alias_name"] = Alias } });
        // Both actions in one call: Qdrant applies alias changes atomically, so searches never see no active collection.
        await _http.PostAsync("/collections/aliases", new JsonObject { ["actions"] = actions }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<CollectionInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var result = await _http.GetAsync("/collections", cancellationToken).ConfigureAwait(false);
        var prefix = _options.Namespace + "tracks_";
        var collections = new List<CollectionInfo>();
        foreach (var name in result.GetProperty("collections").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            if (await DescribeAsync(name[_options.Namespace.Length..], cancellationToken).ConfigureAwait(false) is { } described)
            {
                collections.Add(described.Info);
            }
        }
        return collections;
    }

    public async Task DropAsync(string modelVersion, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var name = CollectionInfo.NameFor(modelVersion);
        var described = await DescribeAsync(name, cancellationToken).ConfigureAwait(false);
        if (described?.Info.ModelVersion != modelVersion)
        {
            return;
        }
        if (await ActiveCollectionAsync(cancellationToken).ConfigureAwait(false) == _options.Namespace + name)
        {
            throw new TrackStoreException($"collection {name} is the active one; activate another before dropping it");
        }
        await _http.DeleteAsync($"/collections/{_options.Namespace}{name}", cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            _http.Dispose();
        }
        return ValueTask.CompletedTask;
    }

    internal static JsonObject IntegerIndex() => new() { ["type"] = "integer", ["lookup"] = true, ["range"] = true };

    internal static Task CreateIndexAsync(QdrantHttp http, string collectionPath, string field, JsonObject schema, CancellationToken cancellationToken) =>
        http.PutAsync($"{collectionPath}/index?wait=true&ordering=medium", new JsonObject { ["field_name"] = field, ["field_schema"] = schema }, cancellationToken);

    /// <summary>The number of <c>order_N</c> indexes in a collection's payload schema.</summary>
    internal static int OrderLevels(JsonElement schema)
    {
        var levels = 0;
        while (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty(TrackOrderKey.Field(levels), out _))
        {
            levels++;
        }
        return levels;
    }

    private QdrantTrackStore Store(CollectionInfo info, JsonElement schema) =>
        new(_http, _options, info, _options.Namespace + info.Name, OrderLevels(schema));

    /// <summary>The collection's model version and dimensions (from its metadata) and payload schema, or null when absent.</summary>
    private async Task<(CollectionInfo Info, JsonElement Schema)?> DescribeAsync(string name, CancellationToken cancellationToken)
    {
        JsonElement result;
        try
        {
            result = await _http.GetAsync($"/collections/{_options.Namespace}{name}", cancellationToken).ConfigureAwait(false);
        }
        catch (QdrantRequestException exception) when (exception.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
        var config = result.GetProperty("config");
        if (!config.TryGetProperty("metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Object
            || TrackPayload.String(metadata, MetadataModel) is not { } model
            || !metadata.TryGetProperty(MetadataDimensions, out var dimensions) || dimensions.ValueKind != JsonValueKind.Number)
        {
            throw new TrackStoreException($"collection {name} exists but was not made by this store (no model version in its metadata)");
        }
        var schema = result.TryGetProperty("payload_schema", out var payloadSchema) ? payloadSchema : default;
        return (new CollectionInfo(name, model, dimensions.GetInt32()), schema.ValueKind == JsonValueKind.Object ? schema : EmptyObject);
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    private async Task CreateAsync(CollectionInfo info, CancellationToken cancellationToken)
    {
        var request = new JsonObject
        {
            ["vectors"] = new JsonObject { [TrackVector] = VectorParams(info.Dimensions), [WindowVector] = VectorParams(info.Dimensions) },
            ["metadata"] = new JsonObject { [MetadataModel] = info.ModelVersion, [MetadataDimensions] = info.Dimensions },
        };
        AddIfSet(request, "shard_number", _options.ShardNumber);
        AddIfSet(request, "replication_factor", _options.ReplicationFactor);
        AddIfSet(request, "write_consistency_factor", _options.WriteConsistencyFactor);
        if (_options.Quantization == QdrantQuantization.Int8)
        {
            // The 0.99 quantile clips outliers so the int8 steps fit the bulk of the values; the codes stay in RAM.
            request["quantization_config"] = new JsonObject { ["scalar"] = new JsonObject { ["type"] = "int8", ["quantile"] = 0.99, ["memory"] = "pinned" } };
        }
        try
        {
            await _http.PutAsync($"/collections/{_options.Namespace}{info.Name}", request, cancellationToken).ConfigureAwait(false);
        }
        catch (QdrantRequestException exception) when (exception.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // Created meanwhile by another process (or by an attempt whose answer was lost): OpenAsync checks what it holds.
        }
    }

    private JsonObject VectorParams(int dimensions)
    {
        var parameters = new JsonObject { ["size"] = dimensions, ["distance"] = "Cosine" };
        if (_options.VectorsOnDisk)
        {
            parameters["memory"] = "cold";
        }
        return parameters;
    }

    /// <summary>The payload indexes every collection has; missing ones are created (an interrupted create left them out).</summary>
    private async Task EnsureIndexesAsync(string name, JsonElement schema, CancellationToken cancellationToken)
    {
        foreach (var (field, index) in PayloadIndexes())
        {
            if (!schema.TryGetProperty(field, out _))
            {
                await CreateIndexAsync(_http, $"/collections/{_options.Namespace}{name}", field, index, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static IEnumerable<(string Field, JsonObject Index)> PayloadIndexes()
    {
        foreach (var keyword in new[] { TrackPayload.Kind, TrackPayload.TrackId, TrackPayload.Status, TrackPayload.ArtistKey, TrackPayload.AlbumKey, TrackPayload.GenreKey, TrackPayload.TagKeys })
        {
            yield return (keyword, new JsonObject { ["type"] = "keyword" });
        }
        yield return (TrackPayload.Version, IntegerIndex());
        yield return (TrackPayload.Year, IntegerIndex());
        yield return (TrackPayload.WindowIndex, IntegerIndex());
        yield return (TrackPayload.Bpm, new JsonObject { ["type"] = "float" });
        foreach (var text in new[] { TrackPayload.Title, TrackPayload.Artist, TrackPayload.Album })
        {
            yield return (text, TextIndex("word"));
        }
        yield return (TrackPayload.Text, TextIndex("prefix"));
    }

    private static JsonObject TextIndex(string tokenizer) => new()
    {
        ["type"] = "text",
        ["tokenizer"] = tokenizer,
        ["lowercase"] = true,
        ["ascii_folding"] = true,
        ["min_token_len"] = 1,
    };

    private static void AddIfSet(JsonObject request, string key, int? value)
    {
        if (value is { } set)
        {
            request[key] = set;
        }
    }

    private async Task<string?> ActiveCollectionAsync(CancellationToken cancellationToken)
    {
        var result = await _http.GetAsync("/aliases", cancellationToken).ConfigureAwait(false);
        return result.GetProperty("aliases").EnumerateArray()
            .Where(alias => alias.GetProperty("alias_name").GetString() == Alias)
            .Select(alias => alias.GetProperty("collection_name").GetString())
            .FirstOrDefault();
    }
}

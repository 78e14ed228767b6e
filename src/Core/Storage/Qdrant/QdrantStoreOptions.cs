namespace MusicSearch.Core.Storage.Qdrant;

/// <summary>Settings of the Qdrant track store (configuration section <c>Store:Qdrant</c>).</summary>
public sealed class QdrantStoreOptions
{
    /// <summary>The REST endpoint, e.g. <c>http://qdrant:6333</c>.</summary>
    public Uri? Url { get; set; }

    /// <summary>Sent as the <c>api-key</c> header when set (Qdrant's <c>service.api_key</c>).</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long one attempt of a request may take before it is abandoned (and retried).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after a 5xx answer, a timeout or a connection failure; 4xx answers are never retried.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>The first retry's delay; later ones double it (with jitter).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Prefixed to every collection and alias name this store uses, so that several deployments (or test runs) can share
    /// one Qdrant without seeing each other's collections. Letters, digits, <c>-</c> and <c>_</c>.
    /// </summary>
    public string Namespace { get; set; } = "";

    /// <summary>The alias that names the active collection (after <see cref="Namespace"/>).</summary>
    public string ActiveAlias { get; set; } = "musicsearch_active";

    /// <summary>Scalar int8 quantisation of the vectors of new collections (a quarter of the RAM for the search copy).</summary>
    public QdrantQuantization Quantization { get; set; } = QdrantQuantization.Int8;

    /// <summary>
    /// New collections keep their original fp32 vectors on disk, loaded on use (Qdrant's <c>memory: cold</c>): with int8
    /// quantisation the codes stay in RAM and only rescoring reads originals. deploy/README.md sizes both choices.
    /// </summary>
    public bool VectorsOnDisk { get; set; }

    /// <summary>Quantized searches rescore their candidates with the original fp32 vectors.</summary>
    public bool Rescore { get; set; } = true;

    /// <summary>Quantized searches preselect this many candidates per result before rescoring.</summary>
    public double Oversampling { get; set; } = 4;

    /// <summary>
    /// When set (0..1), similarity searches with one positive example are re-ranked by maximal marginal relevance
    /// (Qdrant's <c>mmr</c>): higher values trade similarity to the query for variety among the results. Off by default,
    /// since the ranking is then no longer by similarity alone.
    /// </summary>
    public float? Diversity { get; set; }

    /// <summary>Shards of new collections (null: Qdrant's default, one per node).</summary>
    public int? ShardNumber { get; set; }

    /// <summary>Copies of each shard in new collections (null: Qdrant's default of 1).</summary>
    public int? ReplicationFactor { get; set; }

    /// <summary>Replicas that must apply a write before it is acknowledged (null: Qdrant's default of 1).</summary>
    public int? WriteConsistencyFactor { get; set; }

    /// <summary>Points (a track and its windows count one each) per write request; larger batches are split.</summary>
    public int MaxPointsPerRequest { get; set; } = 512;

    /// <summary>Text searches rank at most this many matching tracks (the first ones found) by relevance.</summary>
    public int TextCandidates { get; set; } = 2000;

    /// <summary>Stamps <see cref="Catalog.TrackState.UpdatedAt"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        if (Url is not { IsAbsoluteUri: true } || Url.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"Store:Qdrant:Url must be an absolute http(s) URL, got '{Url}'");
        }
        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Store:Qdrant:Timeout must be positive, got {Timeout}");
        }
        if (MaxRetries is < 0 or > 20)
        {
            throw new ArgumentException($"Store:Qdrant:MaxRetries must be between 0 and 20, got {MaxRetries}");
        }
        if (RetryDelay < TimeSpan.Zero)
        {
            throw new ArgumentException($"Store:Qdrant:RetryDelay must not be negative, got {RetryDelay}");
        }
        if (!IsName(Namespace, allowEmpty: true) || !IsName(ActiveAlias, allowEmpty: false))
        {
            throw new ArgumentException("Store:Qdrant:Namespace and ActiveAlias may hold only letters, digits, '-' and '_' (ActiveAlias not empty)");
        }
        if (ActiveAlias.StartsWith("tracks_", StringComparison.Ordinal))
        {
            throw new ArgumentException("Store:Qdrant:ActiveAlias must not start with 'tracks_', which names collections");
        }
        if (!double.IsFinite(Oversampling) || Oversampling < 1)
        {
            throw new ArgumentException($"Store:Qdrant:Oversampling must be at least 1, got {Oversampling}");
        }
        if (Diversity is { } diversity && !(diversity is >= 0 and <= 1))
        {
            throw new ArgumentException($"Store:Qdrant:Diversity must be between 0 and 1, got {diversity}");
        }
        if (ShardNumber < 1 || ReplicationFactor < 1 || WriteConsistencyFactor < 1)
        {
            throw new ArgumentException("Store:Qdrant:ShardNumber, ReplicationFactor and WriteConsistencyFactor must be at least 1");
        }
        if (MaxPointsPerRequest is < 1 or > 10_000)
        {
            throw new ArgumentException($"Store:Qdrant:MaxPointsPerRequest must be between 1 and 10000, got {MaxPointsPerRequest}");
        }
        if (TextCandidates is < SimilarityQuery.MaxLimit or > 100_000)
        {
            throw new ArgumentException($"Store:Qdrant:TextCandidates must be between {SimilarityQuery.MaxLimit} and 100000, got {TextCandidates}");
        }
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }

    private static bool IsName(string? value, bool allowEmpty) =>
        value is not null && (allowEmpty || value.Length > 0) && value.Length <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}

/// <summary>How new collections keep a compressed copy of their vectors for fast candidate search.</summary>
public enum QdrantQuantization
{
    None,

    /// <summary>Scalar quantisation to int8 (Qdrant's <c>scalar</c> with <c>type: int8</c>), kept in RAM.</summary>
#pragma warning disable CA1720 // The configuration value names the type, as Qdrant's own setting does.
    Int8,
#pragma warning restore CA1720
}

using System.Text.Json.Nodes;

namespace MusicSearch.Web.ApiClient;

/// <summary>The typed GraphQL client of the editor UI: one method per page action, each sending one document from <see cref="Documents"/>.</summary>
public sealed class MusicSearchClient(GraphQLTransport transport)
{
    public async Task<Connection<TrackEdge>> SearchAsync(SearchCriteria criteria, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        var variables = new
        {
            search = string.IsNullOrWhiteSpace(criteria.Text) ? null : criteria.Text.Trim(),
            filter = criteria.Filter.ToVariable(),
            status = criteria.Status,
            first = criteria.First,
            after = criteria.After,
        };
        return (await transport.SendAsync<SearchData>(Documents.Search, variables, cancellationToken)).Tracks;
    }

    public async Task<TrackWithNeighbours> TrackAsync(string id, SimilarOptions similar, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(similar);
        var variables = new
        {
            id,
            first = similar.First,
            filter = similar.Filter.ToVariable(),
            excludeSameArtist = similar.ExcludeSameArtist,
            excludeSameAlbum = similar.ExcludeSameAlbum,
            maxPerArtist = similar.MaxPerArtist,
            minScore = similar.MinScore,
        };
        var track = (await transport.SendAsync<TrackData>(Documents.Track, variables, cancellationToken)).Track;
        return new TrackWithNeighbours(track.ToTrack(), track.Similar);
    }

    public async Task<SimilarityExplanation> ExplainAsync(string a, string b, CancellationToken cancellationToken) =>
        (await transport.SendAsync<ExplainData>(Documents.Explain, new { a, b }, cancellationToken)).ExplainSimilarity;

    public async Task<AudioSearch> SimilarToAudioAsync(Stream clip, string fileName, int first, CancellationToken cancellationToken)
    {
        var found = (await transport.UploadAsync<AudioData>(Documents.SimilarToAudio, new JsonObject { ["first"] = first }, clip, fileName, cancellationToken))
            .SimilarToAudio;
        return new AudioSearch(found.DurationSeconds, found.Windows, [.. found.Matches.Edges.Select(edge => new SimilarTrack(edge.Node, edge.Score, edge.Cosine))]);
    }

    public async Task<IReadOnlyList<PathStop>> PathAsync(string from, string to, int steps, CancellationToken cancellationToken) =>
        (await transport.SendAsync<PathData>(Documents.Path, new { from, to, steps }, cancellationToken)).Path;

    public async Task<CatalogMap> MapAsync(int sample, CancellationToken cancellationToken) =>
        (await transport.SendAsync<MapData>(Documents.Map, new { sample }, cancellationToken)).Map;

    public async Task<NodePage<DuplicatePair>> DuplicatesAsync(double threshold, int first, string? after, CancellationToken cancellationToken) =>
        (await transport.SendAsync<DuplicatesData>(Documents.Duplicates, new { threshold, first, after }, cancellationToken)).Duplicates;

    public async Task<(IndexingSnapshot Indexing, ModelsSnapshot Models)> IndexingAsync(int failures, string? after, CancellationToken cancellationToken)
    {
        var data = await transport.SendAsync<IndexingData>(Documents.Indexing, new { first = failures, after }, cancellationToken);
        var wire = data.Indexing;
        var indexing = new IndexingSnapshot(wire.Collection, wire.Counts, wire.Progress, wire.InFlight, wire.QueueDepth, wire.Queues, wire.Throughput,
            wire.RecentFailures.Nodes, wire.RecentFailures.PageInfo);
        return (indexing, data.Models);
    }

    /// <returns>How many failed tracks were sent to the indexer again.</returns>
    public async Task<int> RetryFailedAsync(IReadOnlyList<string>? ids, CancellationToken cancellationToken) =>
        (await transport.SendAsync<RetryData>(Documents.RetryFailed, new { ids }, cancellationToken)).RetryFailed.Enqueued;

    public async Task<EnqueueResult> EnqueuePathAsync(string path, CancellationToken cancellationToken) =>
        (await transport.SendAsync<EnqueueData>(Documents.EnqueuePath, new { path }, cancellationToken)).EnqueueTracks;

    public async Task ReindexAsync(string modelVersion, CancellationToken cancellationToken) =>
        _ = await transport.SendAsync<JsonObject>(Documents.Reindex, new { modelVersion }, cancellationToken);

    // The documents' data, as they nest it.
    private sealed record SearchData(Connection<TrackEdge> Tracks);

    private sealed record TrackData(TrackNode Track);

    private sealed record TrackNode(
        string Id, string Title, string? Artist, string? Album, string? Genre, int? Year, double? Bpm, double? DurationSeconds, IReadOnlyList<string> Tags,
        string PreviewUrl, TrackIndexing? Indexing, IReadOnlyList<SimilarTrack>? Similar)
    {
        public Track ToTrack() => new(Id, Title, Artist, Album, Genre, Year, Bpm, DurationSeconds, Tags, PreviewUrl, Indexing);
    }

    private sealed record ExplainData(SimilarityExplanation ExplainSimilarity);

    private sealed record AudioData(AudioWire SimilarToAudio);

    private sealed record AudioWire(double DurationSeconds, int Windows, Connection<ScoredEdge> Matches);

    private sealed record ScoredEdge(double Score, double Cosine, Track Node);

    private sealed record PathData(IReadOnlyList<PathStop> Path);

    private sealed record MapData(CatalogMap Map);

    private sealed record DuplicatesData(NodePage<DuplicatePair> Duplicates);

    private sealed record IndexingData(IndexingWire Indexing, ModelsSnapshot Models);

    private sealed record IndexingWire(
        string? Collection, StatusCounts Counts, IndexingProgress Progress, int InFlight, int QueueDepth, IReadOnlyList<QueueDepth> Queues,
        Throughput? Throughput, NodePage<FailedTrack> RecentFailures);

    private sealed record RetryData(RetryWire RetryFailed);

    private sealed record RetryWire(int Enqueued);

    private sealed record EnqueueData(EnqueueResult EnqueueTracks);
}

/// <summary>A page of a connection read through its <c>nodes</c>.</summary>
public sealed record NodePage<T>(IReadOnlyList<T> Nodes, PageInfo PageInfo);

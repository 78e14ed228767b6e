namespace MusicSearch.Web.ApiClient;

// The shapes the UI's documents select (see Documents), read from the Api's JSON as they are.

public enum TrackStatus
{
    Pending,
    Indexed,
    Failed,
}

public sealed record Track(
    string Id,
    string Title,
    string? Artist,
    string? Album,
    string? Genre,
    int? Year,
    double? Bpm,
    double? DurationSeconds,
    IReadOnlyList<string> Tags,
    string PreviewUrl,
    TrackIndexing? Indexing);

public sealed record TrackIndexing(TrackStatus Status, int Attempts, DateTimeOffset UpdatedAt, DateTimeOffset? IndexedAt, string? ModelVersion, IndexingFailure? Failure);

public sealed record IndexingFailure(string Code, string Reason);

public sealed record PageInfo(bool HasNextPage, bool HasPreviousPage, string? EndCursor);

public sealed record Connection<TEdge>(IReadOnlyList<TEdge> Edges, PageInfo PageInfo);

public sealed record TrackEdge(string Cursor, double? Relevance, Track Node);

/// <summary>A track and how much it sounds like the query: <see cref="Score"/> 0–1 (0.5 unrelated), <see cref="Cosine"/> raw.</summary>
public sealed record SimilarTrack(Track Track, double Score, double Cosine);

public sealed record TrackWithNeighbours(Track Track, IReadOnlyList<SimilarTrack>? Similar);

public sealed record Window(int Index, double StartSeconds, double DurationSeconds);

public sealed record WindowPair(Window A, Window B, double Score, double Cosine);

public sealed record SimilarityExplanation(
    Track A,
    Track B,
    double Score,
    double Cosine,
    IReadOnlyList<Window> WindowsA,
    IReadOnlyList<Window> WindowsB,
    IReadOnlyList<IReadOnlyList<double>> Matrix,
    WindowPair? Best)
{
    /// <summary>The matrix row of A's window with this index, or -1.</summary>
    public int RowOf(int windowIndex) => PositionOf(WindowsA, windowIndex);

    /// <summary>The matrix column of B's window with this index, or -1.</summary>
    public int ColumnOf(int windowIndex) => PositionOf(WindowsB, windowIndex);

    private static int PositionOf(IReadOnlyList<Window> windows, int index)
    {
        for (var i = 0; i < windows.Count; i++)
        {
            if (windows[i].Index == index)
            {
                return i;
            }
        }
        return -1;
    }
}

public sealed record AudioSearch(double DurationSeconds, int Windows, IReadOnlyList<SimilarTrack> Matches);

public sealed record PathStop(Track Track, double Position, double Score);

public sealed record DuplicatePair(Track A, Track B, double Score, double Cosine);

public sealed record MapTrack(string Id, string Title, string? Artist, string? Genre);

public sealed record MapPoint(MapTrack Track, double X, double Y);

public sealed record CatalogMap(IReadOnlyList<MapPoint> Points, int IndexedTracks, double ExplainedVarianceX, double ExplainedVarianceY);

public sealed record StatusCounts(int Pending, int Indexed, int Failed, int Total);

public sealed record IndexingProgress(int Done, int Total, double Fraction, bool Finished);

public sealed record QueueDepth(string Queue, int Messages);

public sealed record Throughput(double TracksPerSecond, double WindowsPerSecond, double OverSeconds);

public sealed record FailedTrackTrack(string Id, string Title, string? Artist);

public sealed record FailedTrack(FailedTrackTrack Track, string Code, string Reason, int Attempts, DateTimeOffset FailedAt);

public sealed record IndexingSnapshot(
    string? Collection,
    StatusCounts Counts,
    IndexingProgress Progress,
    int InFlight,
    int QueueDepth,
    IReadOnlyList<QueueDepth> Queues,
    Throughput? Throughput,
    IReadOnlyList<FailedTrack> RecentFailures,
    PageInfo FailuresPage);

public sealed record ModelInfo(string Version, string Architecture, int Dimensions, double WindowSeconds);

public sealed record CollectionInfo(string Name, string ModelVersion, int Dimensions, bool Active, StatusCounts Counts, IndexingProgress Progress);

public sealed record ModelsSnapshot(ModelInfo Current, string? ActiveModelVersion, IReadOnlyList<CollectionInfo> Collections);

public sealed record EnqueueProblem(string Location, string Reason);

public sealed record EnqueueResult(int Enqueued, string Version, IReadOnlyList<EnqueueProblem> Problems);

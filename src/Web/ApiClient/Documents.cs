namespace MusicSearch.Web.ApiClient;

/// <summary>The GraphQL documents the UI sends, one per page action; each selects exactly what the page shows.</summary>
internal static class Documents
{
    private const string TrackFields = """
        fragment TrackFields on Track {
          id title artist album genre year bpm durationSeconds tags previewUrl
          indexing { status attempts updatedAt indexedAt modelVersion failure { code reason } }
        }
        """;

    public const string Search = """
        query Search($search: String, $filter: TrackFilter, $status: TrackStatus, $first: Int, $after: String) {
          tracks(search: $search, filter: $filter, status: $status, first: $first, after: $after) {
            edges { cursor relevance node { ...TrackFields } }
            pageInfo { hasNextPage hasPreviousPage endCursor }
          }
        }
        """ + TrackFields;

    public const string Track = """
        query Track($id: ID!, $first: Int, $filter: TrackFilter, $excludeSameArtist: Boolean, $excludeSameAlbum: Boolean,
                    $maxPerArtist: Int, $minScore: Float) {
          track(id: $id) {
            ...TrackFields
            similar(first: $first, filter: $filter, excludeSameArtist: $excludeSameArtist, excludeSameAlbum: $excludeSameAlbum,
                    maxPerArtist: $maxPerArtist, minScore: $minScore) {
              score cosine track { ...TrackFields }
            }
          }
        }
        """ + TrackFields;

    public const string Explain = """
        query Explain($a: ID!, $b: ID!) {
          explainSimilarity(a: $a, b: $b) {
            a { ...TrackFields } b { ...TrackFields } score cosine
            windowsA { index startSeconds durationSeconds } windowsB { index startSeconds durationSeconds }
            matrix
            best { score cosine a { index startSeconds durationSeconds } b { index startSeconds durationSeconds } }
          }
        }
        """ + TrackFields;

    public const string SimilarToAudio = """
        query SimilarToAudio($file: Upload!, $first: Int) {
          similarToAudio(file: $file, first: $first) {
            durationSeconds windows
            matches { edges { score cosine node { ...TrackFields } } }
          }
        }
        """ + TrackFields;

    public const string Path = """
        query Path($from: ID!, $to: ID!, $steps: Int) {
          path(from: $from, to: $to, steps: $steps) { position score track { ...TrackFields } }
        }
        """ + TrackFields;

    public const string Map = """
        query Map($sample: Int) {
          map(sample: $sample) {
            indexedTracks explainedVarianceX explainedVarianceY
            points { x y track { id title artist genre } }
          }
        }
        """;

    public const string Duplicates = """
        query Duplicates($threshold: Float, $first: Int, $after: String) {
          duplicates(threshold: $threshold, first: $first, after: $after) {
            nodes { score cosine a { ...TrackFields } b { ...TrackFields } }
            pageInfo { hasNextPage hasPreviousPage endCursor }
          }
        }
        """ + TrackFields;

    public const string Indexing = """
        query Indexing($first: Int, $after: String) {
          indexing {
            collection inFlight queueDepth
            counts { pending indexed failed total }
            progress { done total fraction finished }
            queues { queue messages }
            throughput { tracksPerSecond windowsPerSecond overSeconds }
            recentFailures(first: $first, after: $after) {
              nodes { code reason attempts failedAt track { id title artist } }
              pageInfo { hasNextPage hasPreviousPage endCursor }
            }
          }
          models {
            current { version architecture dimensions windowSeconds }
            activeModelVersion
            collections { name modelVersion dimensions active counts { pending indexed failed total } progress { done total fraction finished } }
          }
        }
        """;

    public const string RetryFailed = """
        mutation RetryFailed($ids: [ID!]) { retryFailed(ids: $ids) { enqueued } }
        """;

    public const string EnqueuePath = """
        mutation EnqueuePath($path: String!) {
          enqueueTracks(input: { path: $path }) { enqueued version problems { location reason } }
        }
        """;

    public const string Reindex = """
        mutation Reindex($modelVersion: String!) { reindex(modelVersion: $modelVersion) { modelVersion } }
        """;
}

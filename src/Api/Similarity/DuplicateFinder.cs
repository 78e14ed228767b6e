using Microsoft.Extensions.Options;
using MusicSearch.Api.Paging;
using MusicSearch.Api.Store;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;
using MusicSearch.Indexing.Pipeline;

namespace MusicSearch.Api.Similarity;

/// <summary>Two tracks whose audio is nearly identical; <see cref="A"/> has the smaller id.</summary>
public sealed record DuplicatePair(Track A, Track B, double Cosine, double Score);

/// <summary>How long a duplicate scan is reused (configuration section <c>Duplicates</c>).</summary>
public sealed class DuplicateOptions
{
    public const string Section = "Duplicates";

    /// <summary>
    /// The longest a scan is served after it ran. A scan is also dropped as soon as the collection visibly changes (track
    /// counts, tracks indexed by this process); this bounds staleness from changes that leave no such trace (workers
    /// elsewhere re-indexing a track in place).
    /// </summary>
    public TimeSpan CacheLifetime { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// Near-identical audio in the catalog: every pair of indexed tracks with cosine ≥ threshold, each pair once, best first
/// (ties by ids). Found with the store's batched search (one pass over the vectors per page of seeds), kept per
/// collection, version and threshold, and paged from there.
/// </summary>
public sealed class DuplicateFinder(ActiveStore active, IndexerMetrics indexing, TimeProvider time, IOptions<DuplicateOptions> options)
{
    public const float MinThreshold = 0.5f;
    private const int SeedPage = 256;
    private const int FirstNeighbours = 16;
    private const int MaxCachedScans = 8;

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Version, float Threshold), (DateTimeOffset At, Task<DuplicatePair[]> Scan)> _scans = [];

    /// <param name="threshold">Least cosine similarity of a pair, in [<see cref="MinThreshold"/>, 1].</param>
    /// <param name="first">Pairs on this page.</param>
    /// <param name="after">The previous page's cursor.</param>
    /// <param name="cancellationToken">Stops waiting; a scan that started keeps running for the next caller.</param>
    public async Task<Page<DuplicatePair>> FindAsync(double threshold, int first, string? after, CancellationToken cancellationToken)
    {
        if (!double.IsFinite(threshold) || threshold is < MinThreshold or > 1)
        {
            throw new ArgumentException($"threshold must be a cosine similarity between {MinThreshold} and 1, got {threshold}");
        }
        OffsetCursor.CheckFirst(first);
        var offset = OffsetCursor.Decode(after);
        var store = await active.GetAsync(cancellationToken).ConfigureAwait(false);
        var version = await VersionAsync(store, cancellationToken).ConfigureAwait(false);
        var pairs = await ScanFor(store, version, (float)threshold).WaitAsync(cancellationToken).ConfigureAwait(false);
        return OffsetCursor.PageOf([.. pairs.Skip(offset).Take(first + 1)], offset, first);
    }

    private async Task<string> VersionAsync(ITrackStore store, CancellationToken cancellationToken)
    {
        var counts = await store.CountAsync(cancellationToken).ConfigureAwait(false);
        var local = indexing.Totals;
        return $"{store.Info.Name}/{counts.Pending}/{counts.Indexed}/{counts.Failed}/{local.Indexed}/{local.Failed}";
    }

    private Task<DuplicatePair[]> ScanFor(ITrackStore store, string version, float threshold)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var key = (version, threshold);
            if (_scans.TryGetValue(key, out var cached) && now - cached.At < options.Value.CacheLifetime && !cached.Scan.IsFaulted && !cached.Scan.IsCanceled)
            {
                return cached.Scan;
            }
            foreach (var stale in _scans.Where(entry => entry.Key.Version != version || now - entry.Value.At >= options.Value.CacheLifetime).Select(entry => entry.Key).ToArray())
            {
                _scans.Remove(stale);
            }
            if (_scans.Count >= MaxCachedScans)
            {
                _scans.Remove(_scans.MinBy(entry => entry.Value.At).Key);
            }
            // Not tied to one request's token: the scan serves whoever asks next.
            var scan = Task.Run(() => ScanAsync(store, threshold, CancellationToken.None));
            _scans[key] = (now, scan);
            return scan;
        }
    }

    private static async Task<DuplicatePair[]> ScanAsync(ITrackStore store, float threshold, CancellationToken cancellationToken)
    {
        var pairs = new Dictionary<(TrackId, TrackId), DuplicatePair>();
        TrackId? after = null;
        do
        {
            var page = await store.ListAsync(new TrackListQuery { Status = TrackStatus.Indexed, After = after, Limit = SeedPage }, cancellationToken).ConfigureAwait(false);
            var seeds = page.Items.Select(record => record.Track).ToArray();
            var neighbours = await NeighboursAsync(store, seeds, threshold, FirstNeighbours, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < seeds.Length; i++)
            {
                foreach (var match in neighbours[i])
                {
                    var (a, b) = seeds[i].Id < match.Track.Id ? (seeds[i], match.Track) : (match.Track, seeds[i]);
                    pairs.TryAdd((a.Id, b.Id), new DuplicatePair(a, b, match.Score, SimilarityScore.FromCosine(match.Score)));
                }
            }
            after = page.Next;
        }
        while (after is not null);
        return [.. pairs.Values.OrderByDescending(pair => pair.Cosine).ThenBy(pair => pair.A.Id).ThenBy(pair => pair.B.Id)];
    }

    /// <summary>
    /// Every track above the threshold for each seed. A seed whose neighbour list came back full may have more: it is
    /// asked again with a larger limit, until its list ends below the threshold or reaches the store's maximum.
    /// </summary>
    private static async Task<IReadOnlyList<SimilarTrack>[]> NeighboursAsync(ITrackStore store, Track[] seeds, float threshold, int limit,
        CancellationToken cancellationToken)
    {
        var results = new IReadOnlyList<SimilarTrack>[seeds.Length];
        var pending = Enumerable.Range(0, seeds.Length).ToList();
        while (pending.Count > 0)
        {
            var queries = pending.Select(i => SimilarityQuery.ForTrack(seeds[i].Id, limit) with { MinScore = threshold }).ToArray();
            IReadOnlyList<IReadOnlyList<SimilarTrack>> found;
            try
            {
                found = await store.SearchBatchAsync(queries, cancellationToken).ConfigureAwait(false);
            }
            catch (UnknownTrackException)
            {
                // A seed removed since the page was listed fails the batch: ask one by one and skip the removed ones.
                found = await OneByOneAsync(store, queries, cancellationToken).ConfigureAwait(false);
            }
            var full = new List<int>();
            for (var k = 0; k < pending.Count; k++)
            {
                results[pending[k]] = found[k];
                if (found[k].Count == limit && limit < SimilarityQuery.MaxLimit)
                {
                    full.Add(pending[k]);
                }
            }
            pending = full;
            limit = Math.Min(limit * 4, SimilarityQuery.MaxLimit);
        }
        return results;
    }

    private static async Task<IReadOnlyList<SimilarTrack>[]> OneByOneAsync(ITrackStore store, SimilarityQuery[] queries, CancellationToken cancellationToken)
    {
        var results = new IReadOnlyList<SimilarTrack>[queries.Length];
        for (var i = 0; i < queries.Length; i++)
        {
            try
            {
                results[i] = await store.SearchAsync(queries[i], cancellationToken).ConfigureAwait(false);
            }
            catch (UnknownTrackException)
            {
                results[i] = [];
            }
        }
        return results;
    }
}

using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Messages;
using MusicSearch.Core.Storage;
using MusicSearch.Core.Storage.Embedded;
using MusicSearch.Evaluation.Neighbourhood;
using MusicSearch.Evaluation.Reports;
using MusicSearch.Evaluation.Retrieval;
using MusicSearch.Evaluation.Robustness;
using MusicSearch.Inference.Embedding;
using MusicSearch.Inference.Packages;
using MusicSearch.Indexing.Pipeline;
using Spectre.Console;

namespace MusicSearch.Indexer.Commands.Eval;

/// <summary>
/// Evaluates one model package on a corpus: indexes it into a fresh embedded store of its own through the indexing
/// pipeline (<see cref="TrackIndexer"/>, as <c>musicsearch index</c> does), asks the store for every track's ranked
/// lists (all other tracks, and with the track's album excluded), queries each degraded excerpt, and turns what came
/// back into the report's numbers (<see cref="RetrievalEvaluator"/>, <see cref="Hubness"/>, <see cref="RobustnessTally"/>).
/// </summary>
internal sealed class ModelEvaluation(EvalRunOptions options, ExcerptLibrary excerpts)
{
    /// <summary>Queries per store call when ranking the catalog (one scan of the matrix per page).</summary>
    private const int RankingPage = 64;

    /// <summary>Excerpts in flight at once: enough for the embedder to batch equal-length windows across them.</summary>
    private const int ExcerptParallelism = 8;

    public async Task<ModelReport> RunAsync(string package, IReadOnlyList<Track> tracks, ProgressContext progress, string storeDirectory,
        CancellationToken cancellationToken)
    {
        await using var collections = new EmbeddedTrackCollections(new EmbeddedStoreOptions { Directory = storeDirectory });
        await using var services = Services(package, collections);
        var embedder = services.GetRequiredService<AudioEmbedder>();
        var store = await services.GetRequiredService<CollectionResolver>().OpenOwnAsync(cancellationToken);
        var name = Markup.Escape(embedder.ModelVersion);

        var (indexed, failures, speed) = await IndexAsync(services.GetRequiredService<TrackIndexer>(), store, tracks,
            progress.AddTask($"{name}: indexing", maxValue: tracks.Count), $"{name}: indexing", services.GetRequiredService<IndexerMetrics>(), cancellationToken);

        if (indexed.Count < 2)
        {
            throw new InvalidDataException($"{embedder.ModelVersion} indexed {indexed.Count} of {tracks.Count} tracks, too few to rank; " +
                string.Join("; ", failures.Take(3).Select(f => $"{f.TrackId}: {f.Code}: {f.Reason}")));
        }
        var catalog = new LabelledCatalog(indexed.Select(track => new LabelledTrack(track.Id.Value, track.Artist, track.Album)));
        var clock = Stopwatch.StartNew();
        var (plain, albumExcluded) = await RankAsync(store, indexed, progress.AddTask($"{name}: ranking", maxValue: indexed.Count), cancellationToken);
        var rankingSeconds = clock.Elapsed.TotalSeconds;
        var retrieval = RetrievalEvaluator.Evaluate(catalog, plain, albumExcluded);
        var hubness = Hubness.Measure([.. indexed.Select(t => t.Id.Value)], plain.Values, RetrievalEvaluator.K);

        var queried = indexed.Where(track => excerpts.Has(track.Id)).ToArray();
        clock.Restart();
        var robustness = await QueryExcerptsAsync(embedder, store, queried,
            progress.AddTask($"{name}: robustness", maxValue: Math.Max(1, queried.Length * Degradation.All.Count)), cancellationToken);
        speed = speed with { RankingSeconds = rankingSeconds, RobustnessSeconds = clock.Elapsed.TotalSeconds };

        return new ModelReport(Path.GetFullPath(package), embedder.ModelVersion, ArchitectureOf(package), embedder.Dimensions, speed,
            retrieval.Scores.ToDictionary(entry => entry.Key.Key(), entry => entry.Value), retrieval.SameArtistRateAt10, hubness,
            robustness, failures);
    }

    private ServiceProvider Services(string package, ITrackCollections collections)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Indexer:Package"] = Path.GetFullPath(package),
            ["Indexer:MaxWindowsPerTrack"] = options.MaxWindows.ToString(CultureInfo.InvariantCulture),
            ["Indexer:Threads"] = options.Threads.ToString(CultureInfo.InvariantCulture),
            ["Audio:Sources:LibraryRoots:0"] = Path.GetFullPath(options.LibraryRoot),
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.None))
            .AddSingleton(collections)
            .AddIndexingPipeline(configuration)
            .BuildServiceProvider();
    }

    private async Task<(IReadOnlyList<Track> Indexed, IReadOnlyList<FailureReport> Failures, SpeedReport Speed)> IndexAsync(
        TrackIndexer indexer, ITrackStore store, IReadOnlyList<Track> tracks, ProgressTask task, string label, IndexerMetrics metrics,
        CancellationToken cancellationToken)
    {
        var indexed = new HashSet<TrackId>();
        var failures = new List<FailureReport>();
        var audioSeconds = 0.0;
        var clock = Stopwatch.StartNew();
        var version = DateTimeOffset.UtcNow.UtcTicks;
        foreach (var chunk in tracks.Chunk(options.Batch))
        {
            var messages = chunk.Select(track => new IndexTrack(track, version, store.Info.ModelVersion)).ToArray();
            foreach (var outcome in await IndexCommand.IndexWithRetriesAsync(indexer, messages, cancellationToken))
            {
                switch (outcome)
                {
                    case TrackIndexedOutcome done:
                        indexed.Add(done.Message.Track.Id);
                        audioSeconds += done.Event.DurationSeconds;
                        break;
                    case TrackFailedOutcome failed:
                        failures.Add(new FailureReport(failed.Message.Track.Id.Value, failed.Failure.Code, failed.Failure.Reason));
                        break;
                }
            }
            task.Increment(chunk.Length);
            var elapsed = Math.Max(clock.Elapsed.TotalSeconds, 1e-3);
            task.Description = $"{label} · {(indexed.Count + failures.Count) / elapsed * 3600:F0} tracks/h · {metrics.Totals.Windows / elapsed:F2} windows/s · {failures.Count} failed";
        }
        var seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-3);
        var windows = metrics.Totals.Windows;
        var speed = new SpeedReport(indexed.Count, failures.Count, windows, audioSeconds / 3600, seconds, windows / seconds,
            (indexed.Count + failures.Count) / seconds * 3600, audioSeconds / seconds, 0, 0, LoadAverage());
        return ([.. tracks.Where(track => indexed.Contains(track.Id))], failures, speed);
    }

    private static async Task<(Dictionary<string, IReadOnlyList<string>> Plain, Dictionary<string, IReadOnlyList<string>> AlbumExcluded)> RankAsync(
        ITrackStore store, IReadOnlyList<Track> indexed, ProgressTask task, CancellationToken cancellationToken)
    {
        var plain = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var albumExcluded = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var limit = Math.Min(RetrievalEvaluator.MapDepth, indexed.Count - 1);
        foreach (var page in indexed.Chunk(RankingPage))
        {
            var queries = page.Select(track => SimilarityQuery.ForTrack(track.Id, limit)).ToArray();
            var all = await store.SearchBatchAsync(queries, cancellationToken);
            var filtered = await store.SearchBatchAsync([.. queries.Select(query => query with { ExcludeSeedAlbums = true })], cancellationToken);
            for (var i = 0; i < page.Length; i++)
            {
                plain[page[i].Id.Value] = [.. all[i].Select(result => result.Track.Id.Value)];
                albumExcluded[page[i].Id.Value] = [.. filtered[i].Select(result => result.Track.Id.Value)];
            }
            task.Increment(page.Length);
        }
        return (plain, albumExcluded);
    }

    private async Task<IReadOnlyDictionary<string, RobustnessScores>> QueryExcerptsAsync(AudioEmbedder embedder, ITrackStore store, IReadOnlyList<Track> tracks,
        ProgressTask task, CancellationToken cancellationToken)
    {
        var tallies = Degradation.All.ToDictionary(d => d.Id, _ => new RobustnessTally());
        var jobs = tracks.SelectMany(track => Degradation.All.Select(degradation => (Track: track, Degradation: degradation)));
        await Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = ExcerptParallelism, CancellationToken = cancellationToken },
            async (job, token) =>
            {
                var samples = await excerpts.LoadAsync(job.Track.Id, job.Degradation, embedder.SampleRate, token);
                var vector = (await embedder.EmbedAsync(samples, cancellationToken: token)).Vector;
                var byTrack = await store.SearchAsync(SimilarityQuery.ForVector(vector, RobustnessTally.Depth), token);
                var byWindow = await store.SearchWindowsAsync(new WindowQuery(vector) { Limit = RobustnessTally.Depth, MaxPerTrack = 1 }, token);
                var tally = tallies[job.Degradation.Id];
                lock (tally)
                {
                    tally.Add([.. byTrack.Select(r => r.Track.Id.Value)], [.. byWindow.Select(w => w.Track.Id.Value)], job.Track.Id.Value);
                }
                task.Increment(1);
            });
        return tallies.ToDictionary(entry => entry.Key, entry => entry.Value.Result());
    }

    /// <summary>The 1-minute load average from /proc/loadavg; NaN where there is none.</summary>
    private static double LoadAverage() =>
        File.Exists("/proc/loadavg") && double.TryParse(File.ReadAllText("/proc/loadavg").Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var load)
            ? load
            : double.NaN;

    /// <summary>The architecture model.json names (the package was validated when the pipeline loaded it).</summary>
    private static string ArchitectureOf(string package) =>
        ModelManifest.Parse(File.ReadAllBytes(Path.Combine(package, ModelManifest.FileName)), package).Architecture.Name;
}

using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MusicSearch.Core.Audio;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Messages;
using MusicSearch.Core.Storage;
using MusicSearch.Indexing.Catalog;
using MusicSearch.Indexing.Pipeline;
using Spectre.Console;

namespace MusicSearch.Indexer.Commands;

/// <summary>
/// <c>musicsearch index (FOLDER | MANIFEST.csv) --package DIR [--store DIR]</c>: lists the catalog (tags read with
/// ffprobe, or the manifest's columns), then indexes it in-process through the same <see cref="TrackIndexer"/> the
/// worker runs, batch by batch, with a progress bar (tracks/s, audio-hours/s, failures). Tracks already indexed with
/// this model from the same audio are not embedded again (changed tags are still stored); <c>--force</c> re-embeds.
/// With <c>--publish</c> it sends one <see cref="IndexTrack"/> per track to the configured RabbitMQ bus instead, for the
/// worker replicas to index (bus settings from appsettings.json, <c>Bus__…</c> environment variables or
/// <c>--Bus:RabbitMq:Host=…</c> tokens).
/// </summary>
internal static class IndexCommand
{
    private const int PublishChunk = 200;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var source = new Argument<string>("source") { Description = "A folder of audio files, or a manifest CSV (path/uri, id, title, artist, album, genre, year, bpm, tags)." };
        var package = new Option<DirectoryInfo?>("--package") { Description = "The model package folder to embed with (not needed with --publish)." };
        var batch = new Option<int>("--batch") { Description = "Tracks per batch (decoded in parallel, windows embedded together, one store write).", DefaultValueFactory = _ => 8 };
        var maxWindows = new Option<int>("--max-windows") { Description = "At most this many 30 s windows per track, spread over it (0 = all).", DefaultValueFactory = _ => 20 };
        var force = new Option<bool>("--force") { Description = "Re-embed tracks that are already indexed." };
        var roots = new Option<string[]>("--library-root") { Description = "Folders audio files may come from (default: the folder, or the manifest's folder). Repeatable.", Arity = ArgumentArity.ZeroOrMore };
        var hosts = new Option<string[]>("--allow-host") { Description = "Hosts https:// audio may come from (exact, or *.domain). Repeatable.", Arity = ArgumentArity.ZeroOrMore };
        var publish = new Option<bool>("--publish") { Description = "Publish IndexTrack messages to the RabbitMQ bus for the workers instead of indexing here." };
        var store = new StoreLocation();
        var command = new Command("index", "Index a folder or a manifest into the track store, in-process, with progress.") { source, package, batch, maxWindows, force, roots, hosts, publish };
        store.AddTo(command, withModelVersion: false);
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, token) => OperatorErrors.RunAsync(error, async () =>
        {
            if (parse.GetValue(publish))
            {
                var publishConsole = CliConsole.For(output);
                var catalog = await ListAsync(publishConsole, parse.GetValue(source)!, token);
                ReportProblems(publishConsole, catalog.Problems);
                await PublishAsync(publishConsole, catalog.Tracks, [.. parse.UnmatchedTokens], token);
                return;
            }
            if (parse.GetValue(batch) is < 1 or > 256 || parse.GetValue(maxWindows) < 0)
            {
                throw new ArgumentException("--batch must be between 1 and 256 and --max-windows at least 0");
            }
            var console = CliConsole.For(output);
            var listing = await ListAsync(console, parse.GetValue(source)!, token);
            ReportProblems(console, listing.Problems);

            await using var collections = store.Open(parse);
            var settings = new Dictionary<string, string?>
            {
                ["Indexer:Package"] = (parse.GetValue(package) ?? throw new ArgumentException("index needs --package (or --publish)")).FullName,
                ["Indexer:MaxWindowsPerTrack"] = parse.GetValue(maxWindows).ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            var sourcePath = Path.GetFullPath(parse.GetValue(source)!);
            string[] libraryRoots = [.. parse.GetValue(roots) is { Length: > 0 } given ? given : [File.Exists(sourcePath) ? Path.GetDirectoryName(sourcePath)! : sourcePath]];
            for (var i = 0; i < libraryRoots.Length; i++)
            {
                settings[$"Audio:Sources:LibraryRoots:{i}"] = Path.GetFullPath(libraryRoots[i]);
            }
            var allowedHosts = parse.GetValue(hosts) ?? [];
            for (var i = 0; i < allowedHosts.Length; i++)
            {
                settings[$"Audio:Sources:AllowedHosts:{i}"] = allowedHosts[i];
            }
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).AddEnvironmentVariables("MUSICSEARCH_").Build();
            await using var services = new ServiceCollection()
                .AddLogging(logging => logging.SetMinimumLevel(LogLevel.None))
                .AddSingleton<ITrackCollections>(collections)
                .AddIndexingPipeline(configuration)
                .BuildServiceProvider();
            var resolver = services.GetRequiredService<CollectionResolver>();
            var (target, problem) = await resolver.ResolveAsync(null, token);
            if (target is null)
            {
                throw new InvalidOperationException(problem);
            }
            var plan = await PlanAsync(target, listing.Tracks, parse.GetValue(force), token);
            console.MarkupLine($"collection {Markup.Escape(target.Info.Name)}: {plan.ToEmbed.Count} to embed, {plan.Refreshed} tags refreshed, {plan.Unchanged} unchanged");
            var run = await RunAsync(console, services.GetRequiredService<TrackIndexer>(), target, plan.ToEmbed, parse.GetValue(batch), token);
            Summarise(console, run, services.GetRequiredService<IndexerMetrics>().Totals, await target.CountAsync(token));
        }));
        return command;
    }

    /// <summary>
    /// One <see cref="IndexTrack"/> per track to the workers' queue, all with one version (now), so a later listing
    /// supersedes this one track by track.
    /// </summary>
    private static async Task PublishAsync(IAnsiConsole console, IReadOnlyList<Track> tracks, string[] configurationArgs, CancellationToken cancellationToken)
    {
        await using var publisher = await CatalogPublisher.ConnectAsync(configurationArgs, cancellationToken);
        var version = DateTimeOffset.UtcNow.UtcTicks;
        await console.Progress().StartAsync(async context =>
        {
            var task = context.AddTask("publishing", maxValue: Math.Max(1, tracks.Count));
            foreach (var chunk in tracks.Chunk(PublishChunk))
            {
                await publisher.SendAsync(chunk.Select(track => new IndexTrack(track, version)), cancellationToken);
                task.Increment(chunk.Length);
            }
        });
        console.MarkupLine($"sent {tracks.Count} IndexTrack messages to {Markup.Escape(publisher.Address.ToString())} (version {version})");
    }

    internal static async Task<CatalogListing> ListAsync(IAnsiConsole console, string source, CancellationToken cancellationToken)
    {
        if (File.Exists(source))
        {
            var manifest = ManifestReader.Read(source);
            console.MarkupLine($"manifest {Markup.Escape(source)}: {manifest.Tracks.Count} tracks");
            return manifest;
        }
        if (!Directory.Exists(source))
        {
            throw new FileNotFoundException($"no such folder or manifest: {source}");
        }
        var scanner = new FolderScanner(new AudioMetadataReader(new AudioDecoderOptions()));
        CatalogListing? listing = null;
        await console.Status().StartAsync("reading tags…", async context =>
        {
            listing = await scanner.ScanAsync(source, new Progress<int>(done => context.Status($"reading tags… {done} files")), cancellationToken);
        });
        console.MarkupLine($"folder {Markup.Escape(source)}: {listing!.Tracks.Count} audio files");
        return listing;
    }

    internal static void ReportProblems(IAnsiConsole console, IReadOnlyList<CatalogProblem> problems)
    {
        foreach (var problem in problems.Take(10))
        {
            console.MarkupLine($"[yellow]skipped[/] {Markup.Escape(problem.Location)}: {Markup.Escape(problem.Reason)}");
        }
        if (problems.Count > 10)
        {
            console.MarkupLine($"[yellow]… and {problems.Count - 10} more entries skipped[/]");
        }
    }

    private sealed record Plan(IReadOnlyList<Track> ToEmbed, int Refreshed, int Unchanged);

    /// <summary>
    /// Which tracks need embedding. One already indexed with this model from the same audio keeps its vectors: stored
    /// again only when its tags changed. Everything to embed is recorded as pending first, so an interrupted run shows
    /// what is left.
    /// </summary>
    private static async Task<Plan> PlanAsync(ITrackStore store, IReadOnlyList<Track> tracks, bool force, CancellationToken cancellationToken)
    {
        var version = DateTimeOffset.UtcNow.UtcTicks;
        var toEmbed = new List<Track>();
        var refreshed = new List<TrackPoint>();
        var unchanged = 0;
        foreach (var track in tracks)
        {
            var existing = force ? null : await store.GetAsync(track.Id, withVectors: true, cancellationToken);
            if (existing is not { State.Status: TrackStatus.Indexed, Vectors: { } vectors } || existing.Track.AudioUri != track.AudioUri)
            {
                toEmbed.Add(track);
            }
            else if (SamePayload(existing.Track, track with { DurationSeconds = track.DurationSeconds ?? existing.Track.DurationSeconds }))
            {
                unchanged++;
            }
            else
            {
                refreshed.Add(new TrackPoint(track with { DurationSeconds = track.DurationSeconds ?? existing.Track.DurationSeconds }, vectors, version)
                {
                    Attempts = existing.State.Attempts,
                    IndexedAt = existing.State.IndexedAt ?? existing.State.UpdatedAt,
                });
            }
        }
        if (refreshed.Count > 0)
        {
            await store.UpsertAsync(refreshed, cancellationToken);
        }
        if (toEmbed.Count > 0)
        {
            await store.MarkPendingAsync(toEmbed.Select(track => new PendingTrack(track, version)).ToArray(), cancellationToken);
        }
        return new Plan(toEmbed, refreshed.Count, unchanged);
    }

    private static bool SamePayload(Track a, Track b) => a with { Tags = [] } == b with { Tags = [] } && a.Tags.SequenceEqual(b.Tags);

    private sealed record RunResult(int Indexed, IReadOnlyList<TrackFailedOutcome> Failures, double AudioSeconds, TimeSpan Elapsed);

    private static async Task<RunResult> RunAsync(IAnsiConsole console, TrackIndexer indexer, ITrackStore store, IReadOnlyList<Track> tracks, int batchSize,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var failures = new List<TrackFailedOutcome>();
        var indexed = 0;
        var audioSeconds = 0.0;
        if (tracks.Count == 0)
        {
            return new RunResult(0, failures, 0, clock.Elapsed);
        }
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("indexing", maxValue: tracks.Count);
                foreach (var chunk in tracks.Chunk(batchSize))
                {
                    var version = DateTimeOffset.UtcNow.UtcTicks;
                    var messages = chunk.Select(track => new IndexTrack(track, version, store.Info.ModelVersion)).ToArray();
                    var outcomes = await IndexWithRetriesAsync(indexer, messages, cancellationToken);
                    foreach (var outcome in outcomes)
                    {
                        switch (outcome)
                        {
                            case TrackIndexedOutcome done:
                                indexed++;
                                audioSeconds += done.Event.DurationSeconds;
                                break;
                            case TrackFailedOutcome failed:
                                failures.Add(failed);
                                break;
                        }
                    }
                    task.Increment(chunk.Length);
                    var seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-3);
                    task.Description = $"{indexed + failures.Count}/{tracks.Count} tracks · {(indexed + failures.Count) / seconds:F2} tracks/s · " +
                        $"{audioSeconds / 3600 / seconds * 3600:F2} audio-h/h · {failures.Count} failed";
                }
            });
        return new RunResult(indexed, failures, audioSeconds, clock.Elapsed);
    }

    /// <summary>Transient trouble (a store that hiccups, a slow source) gets three more tries with backoff; then it is reported.</summary>
    internal static async Task<IReadOnlyList<TrackOutcome>> IndexWithRetriesAsync(TrackIndexer indexer, IndexTrack[] messages, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await indexer.IndexAsync(messages, attempt, cancellationToken);
            }
            catch (Exception error) when (attempt < 4 && error is TrackStoreUnavailableException or TransientIndexingException)
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)), cancellationToken);
            }
            catch (Exception error) when (error is TrackStoreUnavailableException or TransientIndexingException)
            {
                return messages.Select(message => (TrackOutcome)new TrackFailedOutcome(message,
                    new IndexingFailure("transient", $"gave up after {attempt} attempts: {error.Message}", Permanent: false), attempt)).ToArray();
            }
        }
    }

    private static void Summarise(IAnsiConsole console, RunResult run, StageTotals stages, StatusCounts counts)
    {
        var seconds = Math.Max(run.Elapsed.TotalSeconds, 1e-3);
        var table = new Table().AddColumns("indexed", "failed", "audio", "windows", "time", "tracks/hour", "audio-hours/hour", "windows/s");
        table.AddRow($"{run.Indexed}", $"{run.Failures.Count}", $"{run.AudioSeconds / 3600:F2} h", $"{stages.Windows}", $"{run.Elapsed:hh\\:mm\\:ss}",
            $"{(run.Indexed + run.Failures.Count) / seconds * 3600:F0}", $"{run.AudioSeconds / seconds:F2}", $"{stages.Windows / seconds:F2}");
        console.Write(table);
        console.MarkupLine($"busy time: decode {stages.Decode.TotalSeconds:F0} s, embed {stages.Embed.TotalSeconds:F0} s (waiting for the model included), " +
            $"store {stages.Store.TotalSeconds:F2} s — decode and embed overlap across tracks");
        foreach (var group in run.Failures.GroupBy(failure => failure.Failure.Code))
        {
            console.MarkupLine($"[red]{group.Count()} failed ({Markup.Escape(group.Key)})[/], e.g. {Markup.Escape(group.First().Message.Track.Id.Value)}: {Markup.Escape(group.First().Failure.Reason)}");
        }
        console.MarkupLine($"store now: {counts.Indexed} indexed, {counts.Pending} pending, {counts.Failed} failed");
    }
}

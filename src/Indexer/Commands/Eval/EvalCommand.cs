using System.CommandLine;
using System.Runtime.InteropServices;
using MusicSearch.Core.Audio;
using MusicSearch.Evaluation.Reports;
using MusicSearch.Evaluation.Retrieval;
using MusicSearch.Inference.Packages;
using Spectre.Console;

namespace MusicSearch.Indexer.Commands.Eval;

/// <summary>
/// <c>musicsearch eval CORPUS [--manifest M.csv] --package DIR [--package DIR …] [--out REPORT_DIR]</c> (issue 10):
/// indexes the corpus with each model into a store of its own, measures retrieval against the manifest's artist
/// and album labels, the robustness of each track's degraded excerpts and the indexing speed, and writes
/// report.md, report.json and SVG charts.
/// </summary>
internal static class EvalCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var corpus = new Argument<DirectoryInfo>("corpus") { Description = "The corpus folder; audio is read from inside it only." };
        var manifest = new Option<FileInfo?>("--manifest") { Description = "Manifest CSV (path, id, title, artist, album, genre, duration_s); default CORPUS/manifest.csv." };
        var packages = new Option<DirectoryInfo[]>("--package") { Description = "A model package to evaluate; repeat to compare models side by side.", Required = true };
        var outDirectory = new Option<DirectoryInfo>("--out") { Description = "Report folder: report.md, report.json, SVG charts.", DefaultValueFactory = _ => new DirectoryInfo("eval-report") };
        var maxWindows = new Option<int>("--max-windows") { Description = "At most this many windows per track, spread over it (0 = all).", DefaultValueFactory = _ => 20 };
        var threads = new Option<int>("--threads") { Description = "Compute threads per model (0 = one per core).", DefaultValueFactory = _ => 0 };
        var batch = new Option<int>("--batch") { Description = "Tracks per indexing batch.", DefaultValueFactory = _ => 8 };
        var excerpt = new Option<double>("--excerpt-seconds") { Description = "Length of the robustness excerpts, cut from the middle of each track.", DefaultValueFactory = _ => 10 };
        var command = new Command("eval", "Evaluate model packages on a labelled corpus: retrieval, hubness, robustness, speed; writes a report folder.")
        {
            corpus, manifest, packages, outDirectory, maxWindows, threads, batch, excerpt,
        };
        command.SetAction((parse, token) => OperatorErrors.RunAsync(error, async () =>
        {
            var options = new EvalRunOptions(parse.GetValue(corpus)!.FullName, parse.GetValue(maxWindows), parse.GetValue(threads), parse.GetValue(batch),
                parse.GetValue(excerpt));
            if (options.MaxWindows < 0 || options.Threads < 0 || options.Batch is < 1 or > 256 || options.ExcerptSeconds is < 1 or > 60)
            {
                throw new ArgumentException("--max-windows and --threads must be at least 0, --batch between 1 and 256, --excerpt-seconds between 1 and 60");
            }
            if (!Directory.Exists(options.LibraryRoot))
            {
                throw new DirectoryNotFoundException($"no such corpus folder: {options.LibraryRoot}");
            }
            var manifestPath = parse.GetValue(manifest)?.FullName ?? Path.Combine(options.LibraryRoot, "manifest.csv");
            if (!File.Exists(manifestPath))
            {
                throw new FileNotFoundException($"no manifest at {manifestPath} (give --manifest)");
            }
            var packageDirectories = parse.GetValue(packages)!.Select(p => p.FullName).ToArray();
            var sampleRates = new HashSet<int>();
            foreach (var package in packageDirectories)
            {
                using var opened = ModelPackage.Open(package);
                sampleRates.Add(opened.Manifest.SampleRate);
            }
            await RunAsync(CliConsole.For(output), options, manifestPath, packageDirectories, sampleRates, parse.GetValue(outDirectory)!.FullName, token);
        }));
        return command;
    }

    private static async Task RunAsync(IAnsiConsole console, EvalRunOptions options, string manifestPath, string[] packages, IReadOnlyCollection<int> sampleRates,
        string outDirectory, CancellationToken cancellationToken)
    {
        var listing = await IndexCommand.ListAsync(console, manifestPath, cancellationToken);
        IndexCommand.ReportProblems(console, listing.Problems);
        var tracks = listing.Tracks;
        if (tracks.Count < 2)
        {
            throw new InvalidDataException($"{manifestPath}: an evaluation needs at least two tracks, found {tracks.Count}");
        }
        var labels = new LabelledCatalog(tracks.Select(t => new LabelledTrack(t.Id.Value, t.Artist, t.Album)));
        var corpus = new CorpusSummary(manifestPath, tracks.Count, labels.ArtistCount, labels.AlbumCount, tracks.Sum(t => t.DurationSeconds ?? 0) / 3600);

        var work = Path.Combine(Path.GetTempPath(), "musicsearch-eval-" + Guid.NewGuid().ToString("N"));
        var models = new List<ModelReport>();
        var excerptFailures = new List<FailureReport>();
        try
        {
            var excerpts = new ExcerptLibrary(Path.Combine(work, "excerpts"), options.ExcerptSeconds, new AudioDecoderOptions { RejectDecoderErrors = false });
            await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var rendering = context.AddTask("degraded excerpts", maxValue: tracks.Count);
                    await excerpts.PrepareAsync(tracks, sampleRates, Math.Max(2, Environment.ProcessorCount), new Progress<int>(done => rendering.Value = done), cancellationToken);
                    rendering.Value = tracks.Count;
                    for (var i = 0; i < packages.Length; i++)
                    {
                        var evaluation = new ModelEvaluation(options, excerpts);
                        models.Add(await evaluation.RunAsync(packages[i], tracks, context, Path.Combine(work, $"store-{i}"), cancellationToken));
                    }
                });
            foreach (var (id, problem) in excerpts.Problems.Take(10))
            {
                console.MarkupLine($"[yellow]no excerpts[/] for {Markup.Escape(id.Value)}: {Markup.Escape(problem)}");
            }
            excerptFailures.AddRange(excerpts.Problems.Select(entry => new FailureReport(entry.Key.Value, "excerpt", entry.Value)));
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }

        var report = new EvalReport
        {
            CreatedAt = DateTimeOffset.UtcNow,
            Corpus = corpus,
            Settings = new EvalSettings(options.MaxWindows == 0 ? null : options.MaxWindows,
                options.Threads == 0 ? Environment.ProcessorCount : options.Threads, options.ExcerptSeconds, RetrievalEvaluator.K,
                RetrievalEvaluator.MapDepth, Machine(), [.. Degradation.All.Select(d => d.Info)]),
            Models = models,
            ExcerptFailures = excerptFailures,
        };
        var written = ReportWriter.Write(report, outDirectory);
        Summarise(console, report);
        console.MarkupLine($"report: {Markup.Escape(string.Join(", ", written.Select(Path.GetFileName)))} in {Markup.Escape(outDirectory)}");
    }

    private static void Summarise(IAnsiConsole console, EvalReport report)
    {
        var table = new Table().AddColumns("model", "artist MAP@100", "artist MAP@100 (album-filtered)", "album MAP@100", "P@10 (artist)", "hubness",
            "coverage", "worst top-1 (track)", "windows/s", "tracks/hour");
        foreach (var model in report.Models)
        {
            var worst = model.Robustness.Values.Select(r => r.TrackTop1).DefaultIfEmpty(double.NaN).Min();
            table.AddRow(Markup.Escape(model.Version), F(model.Retrieval[RelevanceKind.Artist.Key()].MapAt100),
                F(model.Retrieval[RelevanceKind.ArtistAlbumFiltered.Key()].MapAt100), F(model.Retrieval[RelevanceKind.Album.Key()].MapAt100),
                F(model.Retrieval[RelevanceKind.Artist.Key()].PrecisionAt10), F(model.Hubness.Skewness), F(model.Hubness.Coverage), F(worst),
                $"{model.Speed.WindowsPerSecond:F2}", $"{model.Speed.TracksPerHour:F0}");
        }
        console.Write(table);

        static string F(double value) => double.IsNaN(value) ? "–" : value.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Cores, CPU model and OS, so speed numbers can be read against the machine that produced them.</summary>
    private static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{Environment.ProcessorCount} cores{(cpu is null ? "" : $" ({cpu})")}, {RuntimeInformation.OSDescription}";
    }
}

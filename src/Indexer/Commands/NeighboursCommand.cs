using System.CommandLine;
using System.Diagnostics;
using MusicSearch.Core.Storage;
using MusicSearch.Indexer.Neighbours;
using Spectre.Console;

namespace MusicSearch.Indexer.Commands;

/// <summary>
/// <c>musicsearch neighbours --k N --out FILE.jsonl [filters…]</c>: every indexed track's top-K similar tracks, one JSON
/// line per track, streamed and resumable (run it again to continue; <c>--restart</c> to start over).
/// </summary>
internal static class NeighboursCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Option<FileInfo>("--out") { Description = "The JSON-lines file to write (continued if it exists).", Required = true };
        var restart = new Option<bool>("--restart") { Description = "Overwrite the file instead of continuing it." };
        var pageSize = new Option<int>("--page-size") { Description = "Tracks queried per batch.", DefaultValueFactory = _ => 256 };
        var store = new StoreLocation();
        var similarity = new SimilarityOptions();
        var command = new Command("neighbours", "Write every track's most similar tracks to a JSON-lines file (the nightly recommendation job).")
        {
            file, restart, pageSize,
        };
        store.AddTo(command);
        similarity.AddTo(command);
        command.SetAction((parse, token) => OperatorErrors.RunAsync(error, async () =>
        {
            if (parse.GetValue(pageSize) is < 1 or > TrackListQuery.MaxLimit)
            {
                throw new ArgumentException($"--page-size must be between 1 and {TrackListQuery.MaxLimit}");
            }
            var settings = similarity.Describe(parse);
            await using var collections = store.Open(parse);
            var collection = await store.CollectionAsync(collections, parse, token);
            var job = new NeighboursJob(collection, id => similarity.Query(parse, QueryExample.OfTrack(id)), settings, parse.GetValue(pageSize));
            var path = parse.GetValue(file)!.FullName;
            var clock = Stopwatch.StartNew();
            var console = CliConsole.For(output);
            long written = 0;
            await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask("neighbours", maxValue: 1);
                    written = await job.RunAsync(path, parse.GetValue(restart), new Progress<NeighboursProgress>(progress =>
                    {
                        task.MaxValue = Math.Max(1, progress.Total);
                        task.Value = progress.Done;
                        task.Description = $"neighbours {progress.Done}/{progress.Total}";
                    }), token);
                    task.Value = task.MaxValue;
                });
            var seconds = clock.Elapsed.TotalSeconds;
            console.MarkupLine($"wrote {written} tracks to {Markup.Escape(path)} in {seconds:F1} s ({(seconds > 0 ? written / seconds : 0):F0} tracks/s) from {Markup.Escape(collection.Info.Name)}");
        }));
        return command;
    }
}

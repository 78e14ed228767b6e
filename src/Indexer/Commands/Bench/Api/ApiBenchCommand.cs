using System.CommandLine;
using System.Text.Json;

namespace MusicSearch.Indexer.Commands.Bench.Api;

/// <summary>
/// <c>musicsearch bench api --package DIR</c>: GraphQL <c>similarTracks</c> against the bare REST call over HTTP, on a
/// synthetic catalog in the embedded store, at several client counts, with wrk (see <see cref="ApiBench"/>).
/// </summary>
internal static class ApiBenchCommand
{
    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    public static Command Create(TextWriter output, TextWriter error)
    {
        var package = new Option<DirectoryInfo>("--package") { Description = "Model package the Api loads at start (the searches use only stored vectors).", Required = true };
        var store = new Option<DirectoryInfo?>("--store") { Description = "Embedded store folder for the synthetic catalog, reused when it holds it already (default: a new temporary folder)." };
        var tracks = new Option<int>("--tracks") { Description = "Synthetic tracks.", DefaultValueFactory = _ => 100_000 };
        var dims = new Option<int>("--dims") { Description = "Vector dimensions (384: the default `small` model).", DefaultValueFactory = _ => 384 };
        var first = new Option<int>("--first") { Description = "Similar tracks per request.", DefaultValueFactory = _ => 10 };
        var clients = new Option<int[]>("--clients") { Description = "Concurrent clients (connections) of each run.", DefaultValueFactory = _ => [1, 8, 32], AllowMultipleArgumentsPerToken = true };
        var seconds = new Option<int>("--seconds") { Description = "Length of each timed run (every endpoint runs twice per client count).", DefaultValueFactory = _ => 10 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed load per endpoint before the runs, in seconds.", DefaultValueFactory = _ => 10 };
        var wrk = new Option<string>("--wrk") { Description = "The wrk executable.", DefaultValueFactory = _ => "wrk" };
        var apiSettings = new Option<string[]>("--api-setting") { Description = "More Api settings, e.g. --api-setting --Store:SearchThreads=1 (repeatable).", AllowMultipleArgumentsPerToken = false };
        var json = new Option<FileInfo?>("--json") { Description = "Also write every number to this JSON file." };
        var command = new Command("api", "GraphQL similarTracks vs the bare REST call over HTTP with wrk: p50/p99 latency, requests/s, GraphQL overhead.")
        {
            package, store, tracks, dims, first, clients, seconds, warmup, wrk, apiSettings, json,
        };
        command.SetAction(async (parse, token) =>
        {
            var counts = parse.GetValue(clients)!;
            int[] positive = [parse.GetValue(tracks), parse.GetValue(dims), parse.GetValue(first), parse.GetValue(seconds), parse.GetValue(warmup), .. counts];
            if (counts.Length == 0 || positive.Any(n => n < 1) || parse.GetValue(first) > 100)
            {
                await error.WriteLineAsync("error: --tracks, --dims, --seconds, --warmup and --clients must be positive, --first 1–100");
                return 2;
            }
            var temporary = parse.GetValue(store) is null ? Directory.CreateTempSubdirectory("musicsearch-bench-store-") : null;
            try
            {
                return await OperatorErrors.RunAsync(error, async () =>
                {
                    var settings = new ApiBenchSettings((parse.GetValue(store) ?? temporary!).FullName, parse.GetValue(package)!.FullName, parse.GetValue(tracks),
                        parse.GetValue(dims), parse.GetValue(first), counts, TimeSpan.FromSeconds(parse.GetValue(seconds)), TimeSpan.FromSeconds(parse.GetValue(warmup)),
                        parse.GetValue(wrk)!, parse.GetValue(apiSettings) ?? []);
                    var report = await ApiBench.RunAsync(settings, output, token);
                    if (parse.GetValue(json) is { } file)
                    {
                        await File.WriteAllTextAsync(file.FullName, JsonSerializer.Serialize(report, IndentedJson), token);
                    }
                });
            }
            finally
            {
                temporary?.Delete(recursive: true);
            }
        });
        return command;
    }
}

using System.CommandLine;
using System.Text.Json;

namespace MusicSearch.Indexer.Commands.Bench;

/// <summary>
/// <c>musicsearch bench vectors</c>: our exact and int8 vector scans against FAISS and the measured memory bandwidth,
/// on the same seeded random unit vectors and queries, in one run (see <see cref="VectorBench"/>).
/// </summary>
internal static class VectorBenchCommand
{
    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    public static Command Create(TextWriter output, TextWriter error)
    {
        var rows = new Option<int[]>("--rows") { Description = "Matrix sizes (rows).", DefaultValueFactory = _ => [100_000, 1_000_000], AllowMultipleArgumentsPerToken = true };
        var dims = new Option<int[]>("--dims") { Description = "Vector dimensions.", DefaultValueFactory = _ => [384, 1024], AllowMultipleArgumentsPerToken = true };
        var queries = new Option<int>("--queries") { Description = "Queries (all of them in one batched call).", DefaultValueFactory = _ => 64 };
        var singleQueries = new Option<int>("--single-queries") { Description = "Queries timed one call each.", DefaultValueFactory = _ => 16 };
        var threads = new Option<int>("--threads") { Description = "The 'all threads' count (1 thread is always measured too).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var k = new Option<int>("--k") { Description = "Matches per query.", DefaultValueFactory = _ => 10 };
        var oversample = new Option<int>("--oversample") { Description = "int8 candidates per match, rescored in fp32.", DefaultValueFactory = _ => 4 };
        var repeats = new Option<int>("--repeats") { Description = "Timed runs of each measurement (the best counts).", DefaultValueFactory = _ => 2 };
        var seed = new Option<int>("--seed") { Description = "Seed of the random vectors.", DefaultValueFactory = _ => 1 };
        var bandwidthBuffer = new Option<int>("--bandwidth-mib") { Description = "Buffer of the bandwidth measurement; keep it far above the last-level cache.", DefaultValueFactory = _ => 512 };
        var noFaiss = new Option<bool>("--no-faiss") { Description = "Skip FAISS." };
        var json = new Option<FileInfo?>("--json") { Description = "Also write every number to this JSON file." };
        var command = new Command("vectors", "Exact top-k vector search (fp32, int8 + rescoring) vs FAISS and the memory bandwidth.")
        {
            rows, dims, queries, singleQueries, threads, k, oversample, repeats, seed, bandwidthBuffer, noFaiss, json,
        };
        command.SetAction(async (parse, token) =>
        {
            var settings = new VectorBenchSettings(parse.GetValue(rows)!, parse.GetValue(dims)!, parse.GetValue(queries), parse.GetValue(singleQueries),
                parse.GetValue(threads), parse.GetValue(k), parse.GetValue(oversample), parse.GetValue(repeats), parse.GetValue(seed), parse.GetValue(bandwidthBuffer), !parse.GetValue(noFaiss));
            int[] counts = [settings.Queries, settings.SingleQueries, settings.Threads, settings.K, settings.Oversample, settings.Repeats, settings.BandwidthBufferMiB];
            if (settings.Rows.Count == 0 || settings.Dimensions.Count == 0 || settings.Rows.Concat(settings.Dimensions).Concat(counts).Any(n => n < 1))
            {
                await error.WriteLineAsync("error: --rows, --dims, --queries, --single-queries, --threads, --k, --oversample, --repeats and --bandwidth-mib must be positive");
                return 2;
            }
            return await OperatorErrors.RunAsync(error, async () =>
            {
                var report = await VectorBench.RunAsync(settings, output, token);
                if (parse.GetValue(json) is { } file)
                {
                    await File.WriteAllTextAsync(file.FullName, JsonSerializer.Serialize(report, IndentedJson), token);
                }
            });
        });
        return command;
    }
}

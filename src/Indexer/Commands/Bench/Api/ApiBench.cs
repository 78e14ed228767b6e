using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace MusicSearch.Indexer.Commands.Bench.Api;

/// <summary>What <c>musicsearch bench api</c> is asked to do.</summary>
internal sealed record ApiBenchSettings(string Store, string Package, int Tracks, int Dimensions, int First, IReadOnlyList<int> Clients, TimeSpan Duration,
    TimeSpan Warmup, string Wrk, IReadOnlyList<string> ApiSettings);

/// <summary>
/// One concurrency level: the bare call, the GraphQL call, and how much GraphQL adds (GraphQL / REST − 1) to the
/// latency percentiles and to the server's CPU time per request.
/// </summary>
internal sealed record ApiBenchRow(int Clients, LoadResult Rest, LoadResult GraphQL, double P50Overhead, double P99Overhead, double CpuOverhead,
    double ThroughputRatio);

/// <summary>Every number of a run, for <c>--json</c>.</summary>
internal sealed record ApiBenchReport(string Machine, int Tracks, int Dimensions, int First, double DurationSeconds, string GraphQLQuery,
    IReadOnlyList<ApiBenchRow> Rows);

/// <summary>
/// The GraphQL overhead over HTTP: a synthetic catalog of <see cref="ApiBenchSettings.Tracks"/> random vectors in an
/// embedded store, the Api started on it as its own process, and at each client count the bare REST call and
/// <c>similarTracks</c> over GraphQL loaded in turn by wrk (same store call, same fields, random seed tracks).
/// </summary>
internal static class ApiBench
{
    public static async Task<ApiBenchReport> RunAsync(ApiBenchSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        var console = CliConsole.For(output);
        console.MarkupLine(Markup.Escape($"store {settings.Store}: {settings.Tracks} synthetic tracks × {settings.Dimensions} dimensions"));
        var written = await SyntheticCatalog.EnsureAsync(settings.Store, settings.Tracks, settings.Dimensions,
            done => { if (done % 20_000 == 0) { console.MarkupLine($"  {done} tracks written"); } }, cancellationToken).ConfigureAwait(false);
        console.MarkupLine(written ? "  written" : "  reused (already holds this catalog)");

        var rest = BenchEndpoint.Rest(settings.Tracks, settings.First);
        var graphQL = BenchEndpoint.GraphQL(settings.Tracks, settings.First);
        var scripts = Directory.CreateTempSubdirectory("musicsearch-bench-api-");
        try
        {
            await using var server = await ApiServer.StartAsync(settings.Store, settings.Package, settings.ApiSettings, cancellationToken).ConfigureAwait(false);
            console.MarkupLine(Markup.Escape($"Api at {server.Address} (build {ApiServer.BuildDirectory})"));
            await CheckSameAnswerAsync(server.Address, settings.First, cancellationToken).ConfigureAwait(false);
            foreach (var endpoint in new[] { rest, graphQL })
            {
                // Tiered JIT (the scan loops too), caches and connection pools settle before anything counts.
                await LoadRun.RunAsync(settings.Wrk, server.Address, endpoint, settings.Clients.Max(), settings.Warmup, scripts.FullName, server.CpuTime, cancellationToken)
                    .ConfigureAwait(false);
            }
            var rows = new List<ApiBenchRow>();
            foreach (var clients in settings.Clients)
            {
                console.MarkupLine($"{clients} client(s): REST, GraphQL, GraphQL, REST, {settings.Duration.TotalSeconds:0} s each");
                Task<LoadResult> Run(BenchEndpoint endpoint) =>
                    LoadRun.RunAsync(settings.Wrk, server.Address, endpoint, clients, settings.Duration, scripts.FullName, server.CpuTime, cancellationToken);
                // A-B-B-A: each endpoint runs once early and once late, so a drift in the machine's load weighs on both alike.
                var bareEarly = await Run(rest).ConfigureAwait(false);
                var graphEarly = await Run(graphQL).ConfigureAwait(false);
                var graph = graphEarly.Pool(await Run(graphQL).ConfigureAwait(false));
                var bare = bareEarly.Pool(await Run(rest).ConfigureAwait(false));
                rows.Add(new ApiBenchRow(clients, bare, graph, graph.P50Ms / bare.P50Ms - 1, graph.P99Ms / bare.P99Ms - 1,
                    graph.ServerCpuMsPerRequest / bare.ServerCpuMsPerRequest - 1, graph.RequestsPerSecond / bare.RequestsPerSecond));
            }
            var report = new ApiBenchReport(Machine(), settings.Tracks, settings.Dimensions, settings.First, settings.Duration.TotalSeconds, BenchEndpoint.GraphQLQuery, rows);
            Write(console, report);
            return report;
        }
        finally
        {
            scripts.Delete(recursive: true);
        }
    }

    /// <summary>Both endpoints answer the same tracks with the same scores for one seed, so the comparison is of the same work.</summary>
    private static async Task CheckSameAnswerAsync(Uri server, int first, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = server };
        var id = SyntheticCatalog.IdOf(0);
        using var bare = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/api/similar/{id}?first={first}", UriKind.Relative), cancellationToken).ConfigureAwait(false));
        using var response = await client.PostAsJsonAsync(new Uri("/graphql", UriKind.Relative),
            new { query = BenchEndpoint.GraphQLQuery, variables = new { id, first } }, cancellationToken).ConfigureAwait(false);
        using var graph = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        var restAnswer = bare.RootElement.GetProperty("items").EnumerateArray().Select(item => $"{item.GetProperty("id").GetString()}:{item.GetProperty("score").GetDouble()}");
        if (graph.RootElement.TryGetProperty("errors", out var errors))
        {
            throw new InvalidOperationException($"the GraphQL query failed: {errors}");
        }
        var graphAnswer = graph.RootElement.GetProperty("data").GetProperty("similarTracks").GetProperty("edges").EnumerateArray()
            .Select(edge => $"{edge.GetProperty("node").GetProperty("id").GetString()}:{edge.GetProperty("score").GetDouble()}");
        if (!restAnswer.SequenceEqual(graphAnswer) || restAnswer.Count() != first)
        {
            throw new InvalidOperationException($"REST and GraphQL answer differently for {id}: {string.Join(' ', restAnswer)} vs {string.Join(' ', graphAnswer)}");
        }
    }

    private static void Write(IAnsiConsole console, ApiBenchReport report)
    {
        var table = new Table().AddColumns("clients", "REST p50 ms", "REST p99 ms", "REST req/s", "GraphQL p50 ms", "GraphQL p99 ms", "GraphQL req/s",
            "overhead p50", "overhead p99", "server CPU ms/req REST / GraphQL", "CPU overhead", "failures", "load avg");
        foreach (var row in report.Rows)
        {
            table.AddRow($"{row.Clients}", $"{row.Rest.P50Ms:F2}", $"{row.Rest.P99Ms:F2}", $"{row.Rest.RequestsPerSecond:F0}", $"{row.GraphQL.P50Ms:F2}",
                $"{row.GraphQL.P99Ms:F2}", $"{row.GraphQL.RequestsPerSecond:F0}", Percent(row.P50Overhead), Percent(row.P99Overhead),
                $"{row.Rest.ServerCpuMsPerRequest:F2} / {row.GraphQL.ServerCpuMsPerRequest:F2}", Percent(row.CpuOverhead),
                $"{row.Rest.Failures + row.GraphQL.Failures}", $"{row.Rest.LoadAverage:F1} / {row.GraphQL.LoadAverage:F1}");
        }
        console.MarkupLine(Markup.Escape(report.Machine));
        console.Write(table);
        console.MarkupLine(Markup.Escape($"similarTracks(first: {report.First}) on {report.Tracks} × {report.Dimensions} exact; overhead = GraphQL / REST − 1; "
            + "server CPU = the Api process's CPU time during the run / requests answered (other load delays it, it does not inflate it); "
            + "load avg = the machine's 1-minute load after each run (REST / GraphQL)"));
    }

    private static string Percent(double ratio) => $"{ratio * 100:+0.0;-0.0} %";

    private static string Machine()
    {
        var text = new StringBuilder($"{Environment.ProcessorCount} cores, .NET {Environment.Version}");
        if (File.Exists("/proc/cpuinfo") && File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal)) is { } model)
        {
            text.Append(", ").Append(model[(model.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim());
        }
        return text.ToString();
    }
}

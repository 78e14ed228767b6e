using System.Text.Json;
using MusicSearch.Indexer.Commands.Bench.Api;
using MusicSearch.Indexer.Tests.Commands;
using MusicSearch.Testing;

namespace MusicSearch.Indexer.Tests;

/// <summary><c>musicsearch bench api</c> at toy size: a real Api process over a synthetic store, loaded by real wrk.</summary>
[Collection(PipelineTestGroup.Name)]
public sealed class ApiBenchCommandTests(PipelineFixture fixture) : IDisposable
{
    private readonly TemporaryDirectory _temporary = new();

    public void Dispose() => _temporary.Dispose();

    [Fact]
    public async Task Bench_api_loads_both_endpoints_and_reports_latency_throughput_and_overhead()
    {
        var report = _temporary.File("api.json");

        var (exit, output, error) = await Cli.RunAsync("bench", "api", "--package", fixture.PackageA, "--store", _temporary.File("store"), "--tracks", "500", "--dims", "32",
            "--clients", "2", "--seconds", "1", "--warmup", "1", "--json", report);

        Assert.True(exit == 0, error + output);
        Assert.Contains("500 synthetic tracks × 32 dimensions", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        var row = Assert.Single(json.RootElement.GetProperty("Rows").EnumerateArray());
        Assert.Equal(2, row.GetProperty("Clients").GetInt32());
        foreach (var endpoint in new[] { "Rest", "GraphQL" })
        {
            var run = row.GetProperty(endpoint);
            Assert.True(run.GetProperty("Requests").GetInt64() > 0, endpoint);
            Assert.Equal(0, run.GetProperty("Failures").GetInt64());
            Assert.InRange(run.GetProperty("P50Ms").GetDouble(), 0.001, run.GetProperty("P99Ms").GetDouble());
            Assert.InRange(run.GetProperty("ServerCpuMsPerRequest").GetDouble(), 0.001, 1000);
        }
        Assert.Equal(row.GetProperty("GraphQL").GetProperty("P50Ms").GetDouble() / row.GetProperty("Rest").GetProperty("P50Ms").GetDouble() - 1,
            row.GetProperty("P50Overhead").GetDouble(), 9);
    }

    [Fact]
    public void Wrk_reports_are_read_with_their_units_non_2xx_answers_and_socket_errors()
    {
        const string report = """
            Running 2s test @ http://127.0.0.1:5622/graphql
              1 threads and 2 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency     8.31ms   19.20ms 141.89ms   93.40%
                Req/Sec   613.70    244.56     1.07k    80.00%
              Latency Distribution
                 50%  812.00us
                 75%    5.97ms
                 90%   14.23ms
                 99%    1.12s
              1233 requests in 2.06s, 626.13KB read
              Socket errors: connect 0, read 2, write 0, timeout 3
              Non-2xx or 3xx responses: 7
            Requests/sec:    599.70
            Transfer/sec:    304.53KB
            """;

        var result = LoadRun.Parse(report, "graphql", 2, 1.5);

        Assert.Equal(new LoadResult("graphql", 2, 0.812, 5.97, 14.23, 1120, 599.70, 1233, 12, 1.5), result);
        Assert.Throws<InvalidOperationException>(() => LoadRun.Parse("unable to connect to 127.0.0.1:1 Connection refused", "rest", 1, 0));
    }

    [Fact]
    public void Two_runs_pool_into_one_weighted_by_their_requests()
    {
        var early = new LoadResult("rest", 8, 2, 3, 4, 10, 100, 1000, 1, 2) { ServerCpuMsPerRequest = 1.5 };
        var late = new LoadResult("rest", 8, 4, 6, 8, 20, 50, 3000, 2, 4) { ServerCpuMsPerRequest = 0.5 };

        var pooled = early.Pool(late);

        Assert.Equal(new LoadResult("rest", 8, 3.5, 5.25, 7, 17.5, 75, 4000, 3, 3) { ServerCpuMsPerRequest = 0.75 }, pooled);
    }
}

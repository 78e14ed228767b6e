using System.Net;
using MusicSearch.Api.Tests.Hosting;
using MusicSearch.Testing;

namespace MusicSearch.Api.Tests.Endpoints;

[Collection(ApiTestGroup.Name)]
public sealed class MetricsEndpointTests(PipelineFixture fixture)
{
    [Fact]
    public async Task Metrics_are_prometheus_text_with_request_counts_and_latency_by_route_and_status_and_the_pipelines_instruments()
    {
        await using var api = ApiHost.Start(fixture);
        await api.SeedAsync(3, fixture.AudioFiles);
        using var ok = await api.GetAsync("/api/similar/t000");
        using var missing = await api.GetAsync("/api/similar/nobody");

        using var response = await api.GetAsync("/metrics", key: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var text = await response.Content.ReadAsStringAsync();

        Assert.Contains("# TYPE http_server_request_duration_seconds histogram\n", text, StringComparison.Ordinal);
        var similar = text.Split('\n').Where(line => line.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal)
            && line.Contains("http_route=\"/api/similar/{trackId}\"", StringComparison.Ordinal)).ToArray();
        Assert.Contains(similar, line => line.Contains("http_response_status_code=\"200\"", StringComparison.Ordinal) && line.EndsWith(" 1", StringComparison.Ordinal));
        Assert.Contains(similar, line => line.Contains("http_response_status_code=\"404\"", StringComparison.Ordinal) && line.EndsWith(" 1", StringComparison.Ordinal));
        Assert.Contains("# TYPE musicsearch_indexer_in_flight gauge\nmusicsearch_indexer_in_flight 0\n", text, StringComparison.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.Matches("^(# (TYPE|HELP) [a-zA-Z_:][a-zA-Z0-9_:]* .+|[a-zA-Z_:][a-zA-Z0-9_:]*(\\{.*\\})? [-+0-9.eE]+|[a-zA-Z_:][a-zA-Z0-9_:]*(\\{.*\\})? [+-]Inf|[a-zA-Z_:][a-zA-Z0-9_:]*(\\{.*\\})? NaN)$", line);
        }
    }
}

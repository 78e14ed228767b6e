using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MusicSearch.Api.Tests.Hosting;
using MusicSearch.Api.Tests.Security;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;
using MusicSearch.Testing;

namespace MusicSearch.Api.Tests.Endpoints;

[Collection(ApiTestGroup.Name)]
public sealed class SimilarEndpointTests(PipelineFixture fixture) : IAsyncLifetime
{
    private ApiHost _api = null!;

    public async Task InitializeAsync()
    {
        _api = ApiHost.Start(fixture);
        await _api.SeedAsync(30, fixture.AudioFiles);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Answers_what_the_store_answers_with_scores_from_0_to_1_and_pages_on()
    {
        var store = (await _api.Services.GetRequiredService<ITrackCollections>().GetActiveAsync())!;
        var expected = await store.SearchAsync(SimilarityQuery.ForTrack(new TrackId("t005"), limit: 8));

        using var first = JsonDocument.Parse(await (await _api.GetAsync("/api/similar/t005?first=5")).Content.ReadAsStringAsync());
        var items = first.RootElement.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(expected.Take(5).Select(result => result.Track.Id.Value), items.Select(item => item.GetProperty("id").GetString()));
        Assert.Equal(expected.Take(5).Select(result => Math.Round((1 + result.Score) / 2, 5)), items.Select(item => Math.Round(item.GetProperty("score").GetDouble(), 5)));
        Assert.True(first.RootElement.GetProperty("hasNextPage").GetBoolean());

        var cursor = first.RootElement.GetProperty("endCursor").GetString();
        using var second = JsonDocument.Parse(await (await _api.GetAsync($"/api/similar/t005?first=3&after={cursor}")).Content.ReadAsStringAsync());
        Assert.Equal(expected.Skip(5).Take(3).Select(result => result.Track.Id.Value),
            second.RootElement.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetString()));
    }

    [Theory]
    [InlineData("/api/similar/nobody", HttpStatusCode.NotFound, "unknown-track", "nobody")]
    [InlineData("/api/similar/t001?first=0", HttpStatusCode.BadRequest, "bad-request", "first must be between 1 and 100")]
    [InlineData("/api/similar/t001?first=101", HttpStatusCode.BadRequest, "bad-request", "first must be between 1 and 100")]
    [InlineData("/api/similar/t001?after=garbage", HttpStatusCode.BadRequest, "bad-request", "not a valid cursor")]
    [InlineData("/api/similar/t001?first=ten", HttpStatusCode.BadRequest, "bad-request", "")]
    public async Task Bad_requests_get_clear_errors(string path, HttpStatusCode status, string code, string message)
    {
        using var response = await _api.GetAsync(path);
        if (code == "bad-request" && message.Length == 0)
        {
            // A query value that does not bind is ASP.NET's own 400.
            Assert.Equal(status, response.StatusCode);
            return;
        }
        await ApiKeyTests.AssertErrorAsync(response, status, code, message);
    }
}

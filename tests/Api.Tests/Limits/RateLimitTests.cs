using System.Net;
using MusicSearch.Api.Tests.Hosting;
using MusicSearch.Api.Tests.Security;
using MusicSearch.Testing;

namespace MusicSearch.Api.Tests.Limits;

[Collection(ApiTestGroup.Name)]
public sealed class RateLimitTests(PipelineFixture fixture) : IAsyncLifetime
{
    private ApiHost _api = null!;

    public async Task InitializeAsync()
    {
        _api = ApiHost.Start(fixture, new Dictionary<string, string?>
        {
            ["RateLimit:PermitLimit"] = "3",
            ["RateLimit:AnonymousPermitLimit"] = "2",
            ["RateLimit:Window"] = "00:10:00",
            ["Auth:AllowAnonymousRead"] = "true",
        });
        await _api.SeedAsync(2, fixture.AudioFiles);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_key_over_its_limit_gets_429_with_retry_after_while_other_keys_go_on()
    {
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await _api.GetAsync("/api/similar/t000", ApiHost.ReaderKey);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var refused = await _api.GetAsync("/api/similar/t000", ApiHost.ReaderKey);
        await ApiKeyTests.AssertErrorAsync(refused, HttpStatusCode.TooManyRequests, "rate-limited", "too many requests");
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 600);

        using var otherKey = await _api.GetAsync("/api/similar/t000", ApiHost.EditorKey);
        Assert.Equal(HttpStatusCode.OK, otherKey.StatusCode);
        using var probe = await _api.GetAsync("/health/live", ApiHost.ReaderKey);
        Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
    }

    [Fact]
    public async Task Anonymous_callers_are_limited_per_client_address()
    {
        using var first = await _api.GetAsync("/api/similar/t001", key: null);
        using var second = await _api.GetAsync("/api/similar/t001", key: null);
        using var third = await _api.GetAsync("/api/similar/t001", key: null);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests), (first.StatusCode, second.StatusCode, third.StatusCode));
        using var keyed = await _api.GetAsync("/api/similar/t001", ApiHost.AdminKey);
        Assert.Equal(HttpStatusCode.OK, keyed.StatusCode);
    }
}

using System.Net;
using System.Net.Sockets;
using MusicSearch.Web.Tests.Hosting;

namespace MusicSearch.Web.Tests.ApiClient;

/// <summary>What editors read when the Api is down, refuses the UI's key, or does not know a track: sentences, not stack traces.</summary>
[Collection(ProductGroup.Name)]
public sealed class ApiProblemsTests(ProductUnderTest stack)
{
    [Fact]
    public async Task Home_page_reports_a_running_api_as_ready()
    {
        using var session = await EditorSession.SignedInAsync(stack.WebAddress);
        var html = await session.GetStringAsync("");
        Assert.Contains("data-testid=\"api-status\">Api ready<", html);
        Assert.Contains("<title>MusicSearch editors</title>", html);
        // Indexed tracks only (a retry in another test may move the failed one back to pending for a moment).
        Assert.Contains($"data-testid=\"count-indexed\">{stack.Catalog.Count - 1}<", html);
    }

    [Fact]
    public async Task An_unreachable_api_is_explained_on_every_page()
    {
        await using var web = ProductUnderTest.StartWeb(new Uri($"http://127.0.0.1:{UnusedPort()}/"), new Dictionary<string, string?> { ["Web:ApiTimeout"] = "00:00:02" });
        using var session = await EditorSession.SignedInAsync(ProductUnderTest.AddressOf(web.Services));
        Assert.Contains("Api unavailable: no answer from http://127.0.0.1:", await session.GetStringAsync(""));
        var search = await session.GetStringAsync("search?q=tone");
        Assert.Contains("role=\"alert\"", search);
        Assert.Contains("did not answer", search);
        Assert.Contains("Check that it runs", search);
    }

    [Fact]
    public async Task A_missing_api_key_is_named_as_the_problem()
    {
        await using var web = ProductUnderTest.StartWeb(stack.ApiAddress, new Dictionary<string, string?> { ["Web:ApiKey"] = "" });
        using var session = await EditorSession.SignedInAsync(ProductUnderTest.AddressOf(web.Services));
        Assert.Contains("The Api refused the editor UI&#x27;s API key. Check Web:ApiKey.", await session.GetStringAsync("search"));
    }

    [Fact]
    public async Task An_unknown_track_is_not_found_rather_than_an_error_page()
    {
        using var session = await EditorSession.SignedInAsync(stack.WebAddress);
        var html = await session.GetStringAsync("tracks/no-such-track");
        Assert.Contains("No such track.", html);
        Assert.Contains("Not found: no track &#x27;no-such-track&#x27; in the catalog", html);
    }

    [Fact]
    public async Task Liveness_and_static_assets_need_no_sign_in_and_unknown_pages_are_404()
    {
        using var session = new EditorSession(stack.WebAddress);
        Assert.Equal("Healthy", await session.GetStringAsync("health/live"));
        Assert.Contains(".heatmap .best", await session.GetStringAsync("site.css"));
        Assert.Contains("data-scatter", await session.GetStringAsync("app.js"));
        using var missing = await session.Client.GetAsync(new Uri("no-such-page", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Net;
using MusicSearch.Api.Tests.Hosting;
using MusicSearch.Testing;

namespace MusicSearch.Api.Tests.GraphQL;

/// <summary>The developer page: served from the Api's own files without a key, locked to them by its content security policy.</summary>
[Collection(ApiTestGroup.Name)]
public sealed class ExplorerPageTests(PipelineFixture fixture)
{
    [Fact]
    public async Task The_page_and_its_script_and_styles_are_served_without_a_key_under_a_strict_policy()
    {
        await using var api = ApiHost.Start(fixture);
        using var redirect = await api.GetAsync("/graphiql", key: null);
        Assert.Equal("/graphiql/", redirect.RequestMessage!.RequestUri!.AbsolutePath);

        using var page = await api.GetAsync("/graphiql/", key: null);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"explorer.js\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);

        foreach (var (file, type) in new[] { ("explorer.js", "text/javascript"), ("explorer.css", "text/css") })
        {
            using var asset = await api.GetAsync("/graphiql/" + file, key: null);
            Assert.Equal((HttpStatusCode.OK, type), (asset.StatusCode, asset.Content.Headers.ContentType?.MediaType));
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "src", "Api", "GraphQL", "Developer", file)), await asset.Content.ReadAsStringAsync());
        }
        using var missing = await api.GetAsync("/graphiql/secrets.json", key: null);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task The_script_is_valid_JavaScript()
    {
        await ExternalTool.RunAsync("node", ["--check", Path.Combine(RepositoryPaths.Root, "src", "Api", "GraphQL", "Developer", "explorer.js")]);
    }
}

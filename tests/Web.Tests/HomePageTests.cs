extern alias api;

using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MusicSearch.Web.Tests;

public sealed class HomePageTests
{
    [Fact]
    public async Task Home_page_reports_a_running_api_as_ready()
    {
        await using var apiHost = new WebApplicationFactory<api::Program>();
        apiHost.UseKestrel(0);
        apiHost.StartServer();
        var apiAddress = apiHost.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        await using var web = UiWithApiAt(apiAddress);
        var html = await web.CreateClient().GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.Contains("data-testid=\"api-status\">Api ready<", html);
        Assert.Contains("<title>MusicSearch editors</title>", html);
    }

    [Fact]
    public async Task Home_page_explains_an_unreachable_api()
    {
        await using var web = UiWithApiAt($"http://127.0.0.1:{UnusedPort()}");
        using var response = await web.CreateClient().GetAsync(new Uri("/", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Api unavailable: no answer from http://127.0.0.1:", html);
        Assert.Contains("Web:ApiBaseUrl", html);
    }

    [Fact]
    public async Task Liveness_and_stylesheet_are_served()
    {
        await using var web = UiWithApiAt($"http://127.0.0.1:{UnusedPort()}");
        var client = web.CreateClient();
        Assert.Equal("Healthy", await client.GetStringAsync(new Uri("/health/live", UriKind.Relative)));
        Assert.Contains("header.top", await client.GetStringAsync(new Uri("/site.css", UriKind.Relative)));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("/no-such-page", UriKind.Relative))).StatusCode);
    }

    private static WebApplicationFactory<Program> UiWithApiAt(string address) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder => builder.UseSetting("Web:ApiBaseUrl", address));

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

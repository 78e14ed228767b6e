using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MusicSearch.Core.Storage;
using MusicSearch.Core.Storage.Embedded;
using MusicSearch.Core.Storage.Qdrant;
using MusicSearch.Testing;

namespace MusicSearch.Core.Tests.Storage;

/// <summary>The store switch: configuration alone picks and sets up the embedded or the Qdrant store.</summary>
public sealed class TrackStoresTests
{
    private static IConfiguration Configuration(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value))).Build();

    [Fact]
    public async Task Without_a_kind_the_embedded_store_opens_in_the_configured_directory()
    {
        using var directory = new TemporaryDirectory();
        await using var provider = new ServiceCollection()
            .AddTrackStore(Configuration(("Store:Directory", directory.Path), ("Store:SearchThreads", "1")))
            .BuildServiceProvider();

        var collections = Assert.IsType<EmbeddedTrackCollections>(provider.GetRequiredService<ITrackCollections>());
        await collections.OpenAsync("m1", 4);
        Assert.Equal(directory.Path, collections.Directory);
        Assert.True(File.Exists(directory.File("tracks_m1.db")));
    }

    [Fact]
    public void Qdrant_settings_are_bound_from_configuration()
    {
        var options = TrackStores.QdrantOptions(Configuration(
            ("Store:Qdrant:Url", "http://qdrant:6333"), ("Store:Qdrant:ApiKey", "k"), ("Store:Qdrant:Timeout", "00:00:05"), ("Store:Qdrant:Quantization", "None"),
            ("Store:Qdrant:ShardNumber", "6"), ("Store:Qdrant:ReplicationFactor", "2"), ("Store:Qdrant:Oversampling", "2.5"), ("Store:Qdrant:Diversity", "0.25"))
            .GetSection("Store"));
        Assert.Equal(new Uri("http://qdrant:6333"), options.Url);
        Assert.Equal("k", options.ApiKey);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Timeout);
        Assert.Equal(QdrantQuantization.None, options.Quantization);
        Assert.Equal((6, 2), (options.ShardNumber, options.ReplicationFactor));
        Assert.Equal(2.5, options.Oversampling);
        Assert.Equal(0.25f, options.Diversity);
    }

    [Fact]
    public async Task Kind_Qdrant_talks_to_the_configured_server_with_its_key()
    {
        var keys = new ConcurrentQueue<string?>();
        await using var server = await StartAsync(context =>
        {
            keys.Enqueue(context.Request.Headers["api-key"]);
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync("""{"result":{"collections":[]},"status":"ok","time":0.0}""");
        });
        await using var provider = new ServiceCollection()
            .AddTrackStore(Configuration(("Store:Kind", "qdrant"), ("Store:Qdrant:Url", Address(server)), ("Store:Qdrant:ApiKey", "from-config")))
            .BuildServiceProvider();

        var collections = Assert.IsType<QdrantTrackCollections>(provider.GetRequiredService<ITrackCollections>());
        Assert.Empty(await collections.ListAsync());
        Assert.Equal(["from-config"], keys);
    }

    [Theory]
    [InlineData("Store:Kind", "Postgres", "Store:Kind")]
    [InlineData("Store:Kind", "1", "Store:Kind")]
    [InlineData("Store:Kind", "Embedded", "Store:Directory")]
    [InlineData("Store:Kind", "Qdrant", "Store:Qdrant:Url")]
    [InlineData("Store:Qdrant:Timeout", "soon", "Store:Qdrant")]
    public void An_invalid_store_section_fails_when_the_store_is_resolved_naming_the_setting(string key, string value, string named)
    {
        var settings = new List<(string, string?)> { (key, value) };
        if (key.StartsWith("Store:Qdrant", StringComparison.Ordinal))
        {
            settings.Add(("Store:Kind", "Qdrant"));
            settings.Add(("Store:Qdrant:Url", "http://qdrant:6333"));
        }
        using var provider = new ServiceCollection().AddTrackStore(Configuration([.. settings])).BuildServiceProvider();
        var error = Assert.ThrowsAny<ArgumentException>(provider.GetRequiredService<ITrackCollections>);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    private static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    private static async Task<WebApplication> StartAsync(RequestDelegate handle)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(handle);
        await app.StartAsync();
        return app;
    }
}

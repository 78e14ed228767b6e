using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Messages;
using MusicSearch.Indexer.Messaging;
using Spectre.Console;

namespace MusicSearch.Indexer.Catalog;

/// <summary>
/// Sends a catalog listing to the indexing workers: one persistent <see cref="IndexTrack"/> per track over the
/// configured RabbitMQ bus, all with one version (now), so a later listing supersedes this one track by track.
/// Messages are sent to the workers' queue itself (declared if no worker ran yet), not published to the message
/// type's exchange, which drops messages while no queue is bound to it.
/// </summary>
public static class CatalogPublisher
{
    private const int Chunk = 200;

    /// <summary>Publishes every track; <c>configurationArgs</c> are <c>--Bus:RabbitMq:Host=…</c> style overrides of appsettings.json and the environment.</summary>
    public static async Task<long> PublishAsync(IAnsiConsole console, IReadOnlyList<Track> tracks, string[] configurationArgs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(tracks);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = configurationArgs });
        builder.Logging.ClearProviders();
        if (builder.Configuration["Bus:Transport"] is not { } transport || !transport.Equals(nameof(BusTransport.RabbitMq), StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("--publish sends messages to workers over RabbitMQ: set Bus:Transport=RabbitMq (--Bus:Transport=RabbitMq or Bus__Transport)");
        }
        builder.Services.AddMusicSearchBus(builder.Configuration, _ => { });
        using var host = builder.Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var bus = host.Services.GetRequiredService<IBus>();
            var address = new Uri($"queue:{QueueName(builder.Configuration)}");
            var queue = await bus.GetSendEndpoint(address).ConfigureAwait(false);
            var version = DateTimeOffset.UtcNow.UtcTicks;
            await console.Progress().StartAsync(async context =>
            {
                var task = context.AddTask("publishing", maxValue: Math.Max(1, tracks.Count));
                foreach (var chunk in tracks.Chunk(Chunk))
                {
                    await queue.SendBatch(chunk.Select(track => new IndexTrack(track, version)), cancellationToken).ConfigureAwait(false);
                    task.Increment(chunk.Length);
                }
            }).ConfigureAwait(false);
            console.MarkupLine($"sent {tracks.Count} IndexTrack messages to {Markup.Escape(address.ToString())} (version {version})");
            return tracks.Count;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The index queue's name exactly as the workers' endpoint formatter derives it (with <c>Bus:EndpointPrefix</c>).</summary>
    internal static string QueueName(IConfiguration configuration) =>
        new KebabCaseEndpointNameFormatter(configuration["Bus:EndpointPrefix"] ?? "", includeNamespace: false).Message<IndexTrack>();
}

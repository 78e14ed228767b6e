using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MusicSearch.Core.Messages;
using MusicSearch.Indexing.Messaging;

namespace MusicSearch.Indexing.Catalog;

/// <summary>
/// A connection to the indexing workers over the configured RabbitMQ bus, for sending them a catalog listing as
/// persistent <see cref="IndexTrack"/> messages. Messages are sent to the workers' queue itself (declared if no
/// worker ran yet), not published to the message type's exchange, which drops messages while no queue is bound to it.
/// </summary>
public sealed class CatalogPublisher : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly ISendEndpoint _queue;

    private CatalogPublisher(IHost host, ISendEndpoint queue, Uri address)
    {
        _host = host;
        _queue = queue;
        Address = address;
    }

    /// <summary>The workers' index queue the messages go to.</summary>
    public Uri Address { get; }

    /// <summary>Starts a bus client; <c>configurationArgs</c> are <c>--Bus:RabbitMq:Host=…</c> style overrides of appsettings.json and the environment.</summary>
    public static async Task<CatalogPublisher> ConnectAsync(string[] configurationArgs, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = configurationArgs });
        builder.Logging.ClearProviders();
        if (builder.Configuration["Bus:Transport"] is not { } transport || !transport.Equals(nameof(BusTransport.RabbitMq), StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("--publish sends messages to workers over RabbitMQ: set Bus:Transport=RabbitMq (--Bus:Transport=RabbitMq or Bus__Transport)");
        }
        builder.Services.AddMusicSearchBus(builder.Configuration, _ => { });
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            var address = PipelineQueues.Address<IndexTrack>(builder.Configuration["Bus:EndpointPrefix"]);
            var queue = await host.Services.GetRequiredService<IBus>().GetSendEndpoint(address).ConfigureAwait(false);
            return new CatalogPublisher(host, queue, address);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>Sends one chunk of messages (one round trip per chunk, not per message).</summary>
    public Task SendAsync(IEnumerable<IndexTrack> messages, CancellationToken cancellationToken) => _queue.SendBatch(messages, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _host.Dispose();
        }
    }
}

using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MusicSearch.Core.Diagnostics;
using MusicSearch.Indexing.Messaging;
using MusicSearch.Testing;
using RabbitMQ.Client;

namespace MusicSearch.Indexing.Tests.Messaging;

[Collection(SharedRabbitMqBroker.Name)]
public sealed class QueueDepthMonitorTests(RabbitMqBroker broker)
{
    [Fact]
    public async Task Reports_the_messages_waiting_in_each_queue_and_skips_missing_ones()
    {
        var queue = "depth-" + Guid.NewGuid().ToString("N")[..8];
        await FillAsync(queue, 3);
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var exporter = new PrometheusExporter(meter => meter.Scope == meters);
        var options = Options.Create(new BusOptions
        {
            Transport = BusTransport.RabbitMq,
            RabbitMq = new RabbitMqOptions { Host = broker.Host, Port = broker.Port, VirtualHost = broker.VirtualHost, Username = broker.Username, Password = broker.Password },
        });
        using var monitor = new QueueDepthMonitor(options, meters, [queue, "never-declared"], NullLogger<QueueDepthMonitor>.Instance);

        await monitor.StartAsync(CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string text;
        while (!(text = exporter.Scrape()).Contains($"queue=\"{queue}\"", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        await monitor.StopAsync(CancellationToken.None);

        Assert.Contains($"musicsearch_indexer_queue_depth{{queue=\"{queue}\"}} 3", text, StringComparison.Ordinal);
        Assert.DoesNotContain("never-declared\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain($"{queue}_error\"", text, StringComparison.Ordinal);
    }

    private async Task FillAsync(string queue, int messages)
    {
        var factory = new ConnectionFactory { Uri = broker.ConnectionUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        for (var i = 0; i < messages; i++)
        {
            await channel.BasicPublishAsync("", queue, new byte[] { 1, 2, 3 });
        }
    }
}

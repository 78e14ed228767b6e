using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace MusicSearch.Indexing.Messaging;

/// <summary>
/// Queue depth for the metrics: asks RabbitMQ (a passive queue declaration, one cheap AMQP call per queue) how many
/// messages wait in each of the worker's queues and their error queues, every <see cref="Interval"/>, over its own
/// connection so that MassTransit's channels are never disturbed. Exposed as the gauge
/// <c>musicsearch.indexer.queue.depth{queue}</c>; a queue the broker does not have yet reports nothing.
/// </summary>
public sealed partial class QueueDepthMonitor : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly BusOptions _options;
    private readonly IReadOnlyList<string> _queues;
    private readonly ILogger<QueueDepthMonitor> _logger;
    private volatile IReadOnlyDictionary<string, uint> _depths = new Dictionary<string, uint>();

    public QueueDepthMonitor(IOptions<BusOptions> options, IMeterFactory meters, IReadOnlyList<string> queues, ILogger<QueueDepthMonitor> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meters);
        _options = options.Value;
        _queues = [.. queues.SelectMany(queue => new[] { queue, queue + "_error" })];
        _logger = logger;
        meters.Create(Pipeline.IndexerMetrics.MeterName).CreateObservableGauge("musicsearch.indexer.queue.depth", Observe, "{message}",
            "Messages waiting in a queue of the broker (including the error queues), sampled every 10 s.");
    }

    /// <summary>The latest sample: messages waiting per queue (empty before the first sample and on the in-memory transport).</summary>
    public IReadOnlyDictionary<string, uint> Depths => _depths;

    private IEnumerable<Measurement<long>> Observe() =>
        _depths.Select(depth => new Measurement<long>(depth.Value, new KeyValuePair<string, object?>("queue", depth.Key)));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.Transport != BusTransport.RabbitMq)
        {
            return;
        }
        var factory = new ConnectionFactory
        {
            HostName = _options.RabbitMq.Host,
            Port = _options.RabbitMq.Port,
            VirtualHost = _options.RabbitMq.VirtualHost,
            UserName = _options.RabbitMq.Username,
            Password = _options.RabbitMq.Password,
            ClientProvidedName = "musicsearch-queue-depth",
        };
        if (_options.RabbitMq.UseTls)
        {
            factory.Ssl = new SslOption { Enabled = true, ServerName = _options.RabbitMq.Host };
        }
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                _depths = await SampleAsync(factory, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is BrokerUnreachableException or OperationInterruptedException or IOException or AlreadyClosedException)
            {
                // The bus health check reports the outage; the gauge keeps its last values until the broker answers again.
                SampleFailed(_logger, error.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task<IReadOnlyDictionary<string, uint>> SampleAsync(ConnectionFactory factory, CancellationToken cancellationToken)
    {
        await using var connection = await factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
        var depths = new Dictionary<string, uint>(StringComparer.Ordinal);
        foreach (var queue in _queues)
        {
            // A passive declaration of a missing queue closes its channel: one channel per queue.
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            try
            {
                depths[queue] = (await channel.QueueDeclarePassiveAsync(queue, cancellationToken).ConfigureAwait(false)).MessageCount;
            }
            catch (OperationInterruptedException missing) when (missing.ShutdownReason?.ReplyCode == 404)
            {
            }
        }
        return depths;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read queue depths from the broker: {Reason}")]
    private static partial void SampleFailed(ILogger logger, string reason);
}

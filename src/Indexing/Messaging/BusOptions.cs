namespace MusicSearch.Indexing.Messaging;

/// <summary>Which message transport carries the pipeline's messages.</summary>
public enum BusTransport
{
    /// <summary>In the process: the embedded deployment (indexer hosted by the Api), nothing to run.</summary>
    InMemory,

    /// <summary>A RabbitMQ broker: the distributed deployment, indexer replicas as competing consumers.</summary>
    RabbitMq,
}

/// <summary>Configuration section <c>Bus</c>: the transport and how endpoints consume and retry.</summary>
public sealed class BusOptions
{
    public const string SectionName = "Bus";

    public BusTransport Transport { get; set; } = BusTransport.InMemory;

    /// <summary>Put before every queue name (<c>staging</c> gives <c>staging-index-track</c>), so deployments can share a virtual host.</summary>
    public string EndpointPrefix { get; set; } = "";

    /// <summary>Messages a receive endpoint takes at once; with RabbitMQ also the channel's prefetch count.</summary>
    public int PrefetchCount { get; set; } = 16;

    /// <summary>How long host start-up waits for the bus (connected, queues declared) before failing.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromMinutes(1);

    public RabbitMqOptions RabbitMq { get; set; } = new();

    public BusRetryOptions Retry { get; set; } = new();
}

/// <summary>Section <c>Bus:RabbitMq</c>, read only when <see cref="BusOptions.Transport"/> is <see cref="BusTransport.RabbitMq"/>.</summary>
public sealed class RabbitMqOptions
{
    public string Host { get; set; } = "localhost";

    public int Port { get; set; } = 5672;

    public string VirtualHost { get; set; } = "/";

    public string Username { get; set; } = "guest";

    public string Password { get; set; } = "guest";

    /// <summary>AMQPS with the server name checked against <see cref="Host"/>; the broker's TLS port is usually 5671.</summary>
    public bool UseTls { get; set; }
}

/// <summary>
/// Section <c>Bus:Retry</c>: the consumer is called again in the same process with exponential back-off
/// (MassTransit's policy: <see cref="MinInterval"/> plus <see cref="IntervalDelta"/> × (2^retry − 1), jittered,
/// capped at <see cref="MaxInterval"/>). After the last retry, or at once for a <see cref="PermanentFailureException"/>,
/// the message moves to the endpoint's <c>_error</c> queue.
/// </summary>
public sealed class BusRetryOptions
{
    /// <summary>Retries after the first attempt; 0 sends a failure straight to the error queue.</summary>
    public int Limit { get; set; } = 5;

    public TimeSpan MinInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxInterval { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan IntervalDelta { get; set; } = TimeSpan.FromSeconds(2);
}

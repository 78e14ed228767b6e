using System.Security.Authentication;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MusicSearch.Indexing.Messaging;

/// <summary>
/// The message bus of both deployments: MassTransit over the transport named in <c>Bus:Transport</c>, with the
/// same endpoints (one kebab-case queue per consumer), prefetch and retry policy on each.
/// </summary>
public static class BusServiceCollectionExtensions
{
    /// <summary>Name of the bus health check; it is tagged <see cref="ReadyTag"/> for readiness endpoints.</summary>
    public const string HealthCheckName = "bus";

    public const string ReadyTag = "ready";

    /// <summary>
    /// Reads and validates the <c>Bus</c> section (throwing <see cref="OptionsValidationException"/> listing every
    /// problem), then registers MassTransit, its hosted service (host start waits until the bus is connected and
    /// its queues exist, up to <see cref="BusOptions.StartTimeout"/>) and the bus health check.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The host's configuration; its <c>Bus</c> section is read.</param>
    /// <param name="registerConsumers">Adds the consumers (<c>AddConsumer&lt;T&gt;()</c>); each gets its own endpoint.</param>
    /// <param name="permanentFailures">
    /// Declares further exceptions that skip retries, beyond <see cref="PermanentFailureException"/>, for example
    /// <c>f =&gt; f.Ignore&lt;AudioDecodeException&gt;(e =&gt; e.Kind != AudioDecodeError.TimedOut)</c>.
    /// </param>
    public static IServiceCollection AddMusicSearchBus(this IServiceCollection services, IConfiguration configuration,
        Action<IBusRegistrationConfigurator> registerConsumers, Action<IExceptionConfigurator>? permanentFailures = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(registerConsumers);

        // Read once, now: the transport and queue names are fixed when the bus is registered.
        var options = configuration.GetSection(BusOptions.SectionName).Get<BusOptions>() ?? new BusOptions();
        var validation = new BusOptionsValidator().Validate(Options.DefaultName, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(BusOptions), validation.Failures);
        }
        services.AddSingleton(Options.Create(options));
        services.AddOptions<MassTransitHostOptions>().Configure(host =>
        {
            host.WaitUntilStarted = true;
            host.StartTimeout = options.StartTimeout;
        });
        services.AddHealthChecks();
        services.AddMassTransit(bus =>
        {
            // MassTransit 8.4 reports usage to its vendor unless told not to; the product sends nothing out unasked.
            bus.DisableUsageTelemetry();
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(options.EndpointPrefix, includeNamespace: false));
            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = HealthCheckName;
                health.Tags.Add(ReadyTag);
            });
            registerConsumers(bus);
            if (options.Transport == BusTransport.RabbitMq)
            {
                bus.UsingRabbitMq((context, transport) =>
                {
                    ConfigureHost(transport, options.RabbitMq);
                    ConfigureEndpoints(context, transport, options, permanentFailures);
                });
            }
            else
            {
                bus.UsingInMemory((context, transport) => ConfigureEndpoints(context, transport, options, permanentFailures));
            }
        });
        return services;
    }

    private static void ConfigureHost(IRabbitMqBusFactoryConfigurator transport, RabbitMqOptions rabbitMq) =>
        transport.Host(rabbitMq.Host, (ushort)rabbitMq.Port, rabbitMq.VirtualHost, host =>
        {
            host.Username(rabbitMq.Username);
            host.Password(rabbitMq.Password);
            if (rabbitMq.UseTls)
            {
                host.UseSsl(tls =>
                {
                    tls.ServerName = rabbitMq.Host;
                    tls.Protocol = SslProtocols.Tls12 | SslProtocols.Tls13;
                });
            }
        });

    /// <summary>The part both transports share: every consumer endpoint gets the same prefetch and retry policy.</summary>
    private static void ConfigureEndpoints<TEndpoint>(IBusRegistrationContext context, IBusFactoryConfigurator<TEndpoint> transport,
        BusOptions options, Action<IExceptionConfigurator>? permanentFailures)
        where TEndpoint : IReceiveEndpointConfigurator
    {
        transport.PrefetchCount = options.PrefetchCount;
        var policy = options.Retry;
        if (policy.Limit > 0)
        {
            transport.UseMessageRetry(retry =>
            {
                retry.Exponential(policy.Limit, policy.MinInterval, policy.MaxInterval, policy.IntervalDelta);
                retry.Ignore<PermanentFailureException>();
                permanentFailures?.Invoke(retry);
            });
        }
        transport.ConfigureEndpoints(context);
        var logger = context.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BusServiceCollectionExtensions));
        var endpoint = Describe(options);
        BusLog.Configured(logger, options.Transport, endpoint, options.PrefetchCount, options.Retry.Limit);
    }

    private static string Describe(BusOptions options) => options.Transport == BusTransport.RabbitMq
        ? $"{(options.RabbitMq.UseTls ? "amqps" : "amqp")}://{options.RabbitMq.Username}@{options.RabbitMq.Host}:{options.RabbitMq.Port}/{options.RabbitMq.VirtualHost}"
        : "in-process";
}

internal static partial class BusLog
{
    [LoggerMessage(Level = LogLevel.Information,
        Message = "Message bus on {Transport} ({Endpoint}): prefetch {PrefetchCount}, up to {RetryLimit} retries per message")]
    public static partial void Configured(ILogger logger, BusTransport transport, string endpoint, int prefetchCount, int retryLimit);
}

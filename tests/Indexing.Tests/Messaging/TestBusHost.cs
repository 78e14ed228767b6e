using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MusicSearch.Indexing.Messaging;
using MusicSearch.Testing;

namespace MusicSearch.Indexing.Tests.Messaging;

/// <summary>A real generic host running the product's bus registration with the given settings and test consumers.</summary>
public sealed class TestBusHost : IAsyncDisposable
{
    private readonly IHost host;

    private TestBusHost(IHost host) => this.host = host;

    public IBus Bus => host.Services.GetRequiredService<IBus>();

    public IServiceProvider Services => host.Services;

    /// <summary>The queue MassTransit declared for <typeparamref name="TConsumer"/> (kebab case, with the endpoint prefix).</summary>
    public string QueueOf<TConsumer>()
        where TConsumer : class, IConsumer =>
        host.Services.GetRequiredService<IEndpointNameFormatter>().Consumer<TConsumer>();

    public static async Task<TestBusHost> StartAsync(IDictionary<string, string?> settings, ProbeLog log,
        Action<IBusRegistrationConfigurator> registerConsumers, Action<IExceptionConfigurator>? permanentFailures = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(log);
        builder.Services.AddMusicSearchBus(builder.Configuration, registerConsumers, permanentFailures);
        var host = new TestBusHost(builder.Build());
        try
        {
            await host.host.StartAsync();
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Settings for a bus on <paramref name="broker"/>, with fast retries so failure tests stay short.</summary>
    public static Dictionary<string, string?> RabbitMqSettings(RabbitMqBroker broker, string endpointPrefix) => new(FastRetries)
    {
        ["Bus:Transport"] = "RabbitMq",
        ["Bus:EndpointPrefix"] = endpointPrefix,
        ["Bus:RabbitMq:Host"] = broker.Host,
        ["Bus:RabbitMq:Port"] = broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Bus:RabbitMq:VirtualHost"] = broker.VirtualHost,
        ["Bus:RabbitMq:Username"] = broker.Username,
        ["Bus:RabbitMq:Password"] = broker.Password,
    };

    public static Dictionary<string, string?> InMemorySettings() => new(FastRetries) { ["Bus:Transport"] = "InMemory" };

    private static Dictionary<string, string?> FastRetries => new()
    {
        ["Bus:Retry:Limit"] = "3",
        ["Bus:Retry:MinInterval"] = "00:00:00.050",
        ["Bus:Retry:MaxInterval"] = "00:00:00.200",
        ["Bus:Retry:IntervalDelta"] = "00:00:00.050",
    };

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        // MassTransit registers services that only dispose asynchronously.
        if (host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        else
        {
            host.Dispose();
        }
    }
}

using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MusicSearch.Indexing.Messaging;
using MusicSearch.Indexing.Tests.Messaging.Probes;

namespace MusicSearch.Indexing.Tests.Messaging;

public sealed class BusOptionsTests
{
    [Fact]
    public async Task Without_a_Bus_section_the_bus_runs_in_memory_with_the_documented_defaults()
    {
        await using var provider = Register([]).BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<BusOptions>>().Value;
        Assert.Equal(BusTransport.InMemory, options.Transport);
        Assert.Equal(16, options.PrefetchCount);
        Assert.Equal(5, options.Retry.Limit);
        Assert.Equal("loopback", provider.GetRequiredService<IBus>().Address.Scheme);
    }

    [Fact]
    public async Task RabbitMq_settings_select_the_RabbitMq_transport()
    {
        await using var provider = Register(new()
        {
            ["Bus:Transport"] = "rabbitmq",
            ["Bus:RabbitMq:Host"] = "broker.internal",
            ["Bus:RabbitMq:VirtualHost"] = "musicsearch",
        }).BuildServiceProvider();

        var address = provider.GetRequiredService<IBus>().Address;
        Assert.Equal("rabbitmq", address.Scheme);
        Assert.Equal("broker.internal", address.Host);
        Assert.StartsWith("/musicsearch/", address.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_invalid_setting_is_reported_at_once_with_its_key()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Register(new()
        {
            ["Bus:Transport"] = "RabbitMq",
            ["Bus:EndpointPrefix"] = "my queues",
            ["Bus:PrefetchCount"] = "0",
            ["Bus:RabbitMq:Host"] = " ",
            ["Bus:RabbitMq:Port"] = "70000",
            ["Bus:RabbitMq:Password"] = "",
            ["Bus:Retry:Limit"] = "-1",
            ["Bus:Retry:MinInterval"] = "00:00:10",
            ["Bus:Retry:MaxInterval"] = "00:00:01",
        }));

        foreach (var key in new[]
        {
            "Bus:EndpointPrefix", "Bus:PrefetchCount", "Bus:RabbitMq:Host", "Bus:RabbitMq:Port", "Bus:RabbitMq:Password",
            "Bus:Retry:Limit", "Bus:Retry:MaxInterval",
        })
        {
            Assert.Contains(error.Failures, failure => failure.StartsWith(key, StringComparison.Ordinal));
        }
        Assert.Equal(7, error.Failures.Count());
    }

    [Fact]
    public async Task RabbitMq_settings_are_not_checked_when_the_bus_runs_in_memory()
    {
        await using var provider = Register(new() { ["Bus:RabbitMq:Host"] = "" }).BuildServiceProvider();

        Assert.Equal("loopback", provider.GetRequiredService<IBus>().Address.Scheme);
    }

    [Theory]
    [InlineData("Kafka")]
    [InlineData("7")]
    public void An_unknown_transport_is_refused_naming_the_key(string transport)
    {
        var error = Record.Exception(() => Register(new() { ["Bus:Transport"] = transport }));

        Assert.True(error is InvalidOperationException or OptionsValidationException, $"unexpected {error?.GetType()}");
        Assert.Contains("Bus:Transport", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_start_fails_within_the_start_timeout_when_the_broker_cannot_be_reached()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Bus:Transport"] = "RabbitMq",
            ["Bus:StartTimeout"] = "00:00:02",
            ["Bus:RabbitMq:Host"] = "127.0.0.1",
            ["Bus:RabbitMq:Port"] = "1", // nothing listens there
        };

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = await Record.ExceptionAsync(() => TestBusHost.StartAsync(settings, new ProbeLog(), bus => bus.AddConsumer<RoundTripConsumer>()));

        // It kept trying until Bus:StartTimeout, then failed naming the broker.
        var unreachable = Assert.IsType<RabbitMqConnectionException>(error);
        Assert.Contains("127.0.0.1:1", unreachable.Message, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(15));
    }

    private static ServiceCollection Register(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMusicSearchBus(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), _ => { });
        return services;
    }
}

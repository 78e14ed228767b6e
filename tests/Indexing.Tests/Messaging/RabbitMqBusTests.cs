using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MusicSearch.Indexing.Messaging;
using MusicSearch.Indexing.Tests.Messaging.Probes;
using MusicSearch.Testing;
using Xunit.Abstractions;

namespace MusicSearch.Indexing.Tests.Messaging;

/// <summary>One private broker for every test that needs one: starting a node costs about 10 s.</summary>
[CollectionDefinition(Name)]
public sealed class SharedRabbitMqBroker : ICollectionFixture<RabbitMqBroker>
{
    public const string Name = "RabbitMQ broker";
}

/// <summary>The product's bus registration over a real RabbitMQ node; tests keep apart by endpoint prefix and message type.</summary>
[Collection(SharedRabbitMqBroker.Name)]
public sealed class RabbitMqBusTests(RabbitMqBroker broker, ITestOutputHelper output)
{
    [Fact]
    public async Task Publishes_and_consumes_a_message_through_the_broker()
    {
        var log = new ProbeLog();
        await using var host = await TestBusHost.StartAsync(TestBusHost.RabbitMqSettings(broker, "round-trip"), log,
            bus => bus.AddConsumer<RoundTripConsumer>());

        var id = Guid.NewGuid();
        await host.Bus.Publish(new RoundTripProbe(id));

        await log.WaitUntilAsync(() => log.IsCompleted(id), "the probe is consumed");
        Assert.Equal("rabbitmq", host.Bus.Address.Scheme);
        var queue = host.QueueOf<RoundTripConsumer>();
        Assert.Equal("round-trip-round-trip", queue);
        Assert.Equal(0u, await BrokerQueues.MessageCountAsync(broker, queue));
        var health = await host.Services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(check => check.Tags.Contains(BusServiceCollectionExtensions.ReadyTag));
        Assert.Equal(HealthStatus.Healthy, health.Entries[BusServiceCollectionExtensions.HealthCheckName].Status);
    }

    [Fact]
    public async Task A_permanent_failure_goes_to_the_error_queue_at_once_while_a_transient_one_is_retried()
    {
        var log = new ProbeLog();
        await using var host = await TestBusHost.StartAsync(TestBusHost.RabbitMqSettings(broker, "failures"), log, bus =>
        {
            bus.AddConsumer<PermanentFailureConsumer>();
            bus.AddConsumer<TransientFailureConsumer>();
        });
        var doomed = Guid.NewGuid();
        var flaky = Guid.NewGuid();

        await host.Bus.Publish(new PermanentFailureProbe(doomed));
        await host.Bus.Publish(new TransientFailureProbe(flaky, Failures: 2));

        await BrokerQueues.WaitForMessageCountAsync(broker, host.QueueOf<PermanentFailureConsumer>() + "_error", 1);
        Assert.Equal(1, log.Attempts(doomed));
        await log.WaitUntilAsync(() => log.IsCompleted(flaky), "the transient failure succeeds on a retry");
        Assert.Equal(3, log.Attempts(flaky));
        Assert.Null(await BrokerQueues.MessageCountAsync(broker, host.QueueOf<TransientFailureConsumer>() + "_error"));
    }

    [Fact]
    public async Task Messages_published_before_a_broker_restart_during_it_and_after_it_are_all_consumed()
    {
        var log = new ProbeLog();
        var settings = TestBusHost.RabbitMqSettings(broker, "restart");
        // One delivery at a time: while the consumer holds the first message, the others wait in the broker.
        settings["Bus:PrefetchCount"] = "1";
        await using var host = await TestBusHost.StartAsync(settings, log, bus => bus.AddConsumer<DurableConsumer>());
        var health = host.Services.GetRequiredService<HealthCheckService>();
        var before = NewIds(4);
        foreach (var id in before)
        {
            await host.Bus.Publish(new DurableProbe(id));
        }
        await log.WaitUntilAsync(() => log.Attempts(before[0]) == 1, "the first message is delivered");
        var clock = Stopwatch.StartNew();

        await broker.StopAsync();
        var stopped = clock.Elapsed;
        // The held message now completes, but its ack has no channel left: the broker must deliver it again.
        log.Gate.SetResult();
        await WaitUntilUnhealthyAsync(health);
        var duringOutage = Guid.NewGuid();
        var outagePublish = host.Bus.Publish(new DurableProbe(duringOutage));
        log.Phase = 1;
        Assert.False(outagePublish.IsCompleted, "a publish while the broker is down waits for it");
        await broker.StartAsync();
        var restarted = clock.Elapsed;
        await outagePublish;
        var reconnected = clock.Elapsed;
        var after = NewIds(3);
        foreach (var id in after)
        {
            await host.Bus.Publish(new DurableProbe(id));
        }

        await log.WaitUntilAsync(() => before.Append(duringOutage).Concat(after).All(log.IsCompleted), "every message is consumed");
        output.WriteLine($"broker stopped after {stopped.TotalSeconds:0.0} s, running again after {restarted.TotalSeconds:0.0} s, " +
            $"bus reconnected after {reconnected.TotalSeconds:0.0} s, all consumed after {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Contains(1, log.PhasesCompleted(before[0]));
        Assert.All(before.Skip(1), id => Assert.Equal([1], log.PhasesCompleted(id)));
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);
    }

    private static List<Guid> NewIds(int count) => [.. Enumerable.Range(0, count).Select(_ => Guid.NewGuid())];

    /// <summary>MassTransit notices a lost connection within a second or so; the bus check then reports it.</summary>
    private static async Task WaitUntilUnhealthyAsync(HealthCheckService health)
    {
        var deadline = Stopwatch.StartNew();
        while ((await health.CheckHealthAsync()).Status == HealthStatus.Healthy)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "the bus health check still reports Healthy 10 s after the broker stopped");
            await Task.Delay(100);
        }
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MusicSearch.Indexing.Messaging;
using MusicSearch.Indexing.Tests.Messaging.Probes;

namespace MusicSearch.Indexing.Tests.Messaging;

/// <summary>The embedded deployment's bus: same registration, endpoints and retry policy, in the process.</summary>
public sealed class InMemoryBusTests
{
    [Fact]
    public async Task Publishes_and_consumes_a_message_in_the_process_and_reports_the_bus_ready()
    {
        var log = new ProbeLog();
        await using var host = await TestBusHost.StartAsync(TestBusHost.InMemorySettings(), log, bus => bus.AddConsumer<RoundTripConsumer>());

        var id = Guid.NewGuid();
        await host.Bus.Publish(new RoundTripProbe(id));

        await log.WaitUntilAsync(() => log.IsCompleted(id), "the probe is consumed");
        Assert.Equal(1, log.Attempts(id));
        Assert.Equal("loopback", host.Bus.Address.Scheme);
        Assert.Equal("round-trip", host.QueueOf<RoundTripConsumer>());
        var health = await host.Services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(check => check.Tags.Contains(BusServiceCollectionExtensions.ReadyTag));
        Assert.Equal(HealthStatus.Healthy, health.Entries[BusServiceCollectionExtensions.HealthCheckName].Status);
    }

    [Fact]
    public async Task Retries_transient_failures_but_not_permanent_ones_nor_those_declared_permanent_through_the_hook()
    {
        var log = new ProbeLog();
        await using var host = await TestBusHost.StartAsync(TestBusHost.InMemorySettings(), log, bus =>
        {
            bus.AddConsumer<TransientFailureConsumer>();
            bus.AddConsumer<PermanentFailureConsumer>();
            bus.AddConsumer<DeclaredPermanentConsumer>();
            bus.AddConsumer<FaultRecorder>();
        }, permanentFailures: failures => failures.Ignore<InvalidDataException>());
        var flaky = Guid.NewGuid();
        var doomed = Guid.NewGuid();
        var declared = Guid.NewGuid();

        await host.Bus.Publish(new TransientFailureProbe(flaky, Failures: 2));
        await host.Bus.Publish(new PermanentFailureProbe(doomed));
        await host.Bus.Publish(new DeclaredPermanentProbe(declared));

        await log.WaitUntilAsync(() => log.IsCompleted(flaky) && log.HasFaulted(doomed) && log.HasFaulted(declared),
            "the transient failure succeeds and both permanent ones fault");
        Assert.Equal(3, log.Attempts(flaky));
        Assert.Equal(1, log.Attempts(doomed));
        Assert.Equal(1, log.Attempts(declared));
    }

    [Fact]
    public async Task Without_the_hook_an_undeclared_exception_is_retried_up_to_the_limit()
    {
        var log = new ProbeLog();
        await using var host = await TestBusHost.StartAsync(TestBusHost.InMemorySettings(), log, bus =>
        {
            bus.AddConsumer<DeclaredPermanentConsumer>();
            bus.AddConsumer<FaultRecorder>();
        });
        var id = Guid.NewGuid();

        await host.Bus.Publish(new DeclaredPermanentProbe(id));

        await log.WaitUntilAsync(() => log.HasFaulted(id), "the message faults after its retries");
        Assert.Equal(1 + 3, log.Attempts(id));
    }

    [Fact]
    public async Task With_a_retry_limit_of_zero_even_a_transient_failure_faults_at_once()
    {
        var log = new ProbeLog();
        var settings = TestBusHost.InMemorySettings();
        settings["Bus:Retry:Limit"] = "0";
        await using var host = await TestBusHost.StartAsync(settings, log, bus =>
        {
            bus.AddConsumer<TransientFailureConsumer>();
            bus.AddConsumer<FaultRecorder>();
        });
        var id = Guid.NewGuid();

        await host.Bus.Publish(new TransientFailureProbe(id, Failures: 1));

        await log.WaitUntilAsync(() => log.HasFaulted(id), "the message faults");
        Assert.Equal(1, log.Attempts(id));
        Assert.False(log.IsCompleted(id));
    }
}

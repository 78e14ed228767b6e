using MassTransit;
using MusicSearch.Indexing.Messaging;

// Test messages live in their own namespace: MassTransit names exchanges after it, and each scenario's
// message type is distinct so tests sharing one broker never receive each other's messages.
namespace MusicSearch.Indexing.Tests.Messaging.Probes;

public interface IProbe
{
    Guid Id { get; }
}

public sealed record RoundTripProbe(Guid Id) : IProbe;

/// <summary>Fails with a transient exception <see cref="Failures"/> times, then succeeds.</summary>
public sealed record TransientFailureProbe(Guid Id, int Failures) : IProbe;

public sealed record PermanentFailureProbe(Guid Id) : IProbe;

/// <summary>Fails with an exception that the bus was told, through the hook, is permanent.</summary>
public sealed record DeclaredPermanentProbe(Guid Id) : IProbe;

public sealed record DurableProbe(Guid Id) : IProbe;

public sealed class RoundTripConsumer(ProbeLog log) : IConsumer<RoundTripProbe>
{
    public Task Consume(ConsumeContext<RoundTripProbe> context)
    {
        log.Attempted(context.Message.Id);
        log.Completed(context.Message.Id);
        return Task.CompletedTask;
    }
}

public sealed class TransientFailureConsumer(ProbeLog log) : IConsumer<TransientFailureProbe>
{
    public Task Consume(ConsumeContext<TransientFailureProbe> context)
    {
        if (log.Attempted(context.Message.Id) <= context.Message.Failures)
        {
            throw new TimeoutException("The store did not answer in time (test failure).");
        }
        log.Completed(context.Message.Id);
        return Task.CompletedTask;
    }
}

public sealed class PermanentFailureConsumer(ProbeLog log) : IConsumer<PermanentFailureProbe>
{
    public Task Consume(ConsumeContext<PermanentFailureProbe> context)
    {
        log.Attempted(context.Message.Id);
        throw new PermanentFailureException("The file is not audio (test failure).");
    }
}

public sealed class DeclaredPermanentConsumer(ProbeLog log) : IConsumer<DeclaredPermanentProbe>
{
    public Task Consume(ConsumeContext<DeclaredPermanentProbe> context)
    {
        log.Attempted(context.Message.Id);
        throw new InvalidDataException("The model package is corrupt (test failure).");
    }
}

/// <summary>
/// Records the faults MassTransit publishes once a message has failed for good, that is after its last retry:
/// the attempts counted by then are all there will be.
/// </summary>
public sealed class FaultRecorder(ProbeLog log)
    : IConsumer<Fault<TransientFailureProbe>>, IConsumer<Fault<PermanentFailureProbe>>, IConsumer<Fault<DeclaredPermanentProbe>>
{
    public Task Consume(ConsumeContext<Fault<TransientFailureProbe>> context) => Record(context.Message.Message);

    public Task Consume(ConsumeContext<Fault<PermanentFailureProbe>> context) => Record(context.Message.Message);

    public Task Consume(ConsumeContext<Fault<DeclaredPermanentProbe>> context) => Record(context.Message.Message);

    private Task Record(IProbe probe)
    {
        log.Faulted(probe.Id);
        return Task.CompletedTask;
    }
}

/// <summary>Holds every message until the test opens <see cref="ProbeLog.Gate"/>, so the next ones stay queued in the broker.</summary>
public sealed class DurableConsumer(ProbeLog log) : IConsumer<DurableProbe>
{
    public async Task Consume(ConsumeContext<DurableProbe> context)
    {
        log.Attempted(context.Message.Id);
        await log.Gate.Task;
        log.Completed(context.Message.Id);
    }
}

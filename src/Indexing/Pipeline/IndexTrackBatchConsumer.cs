using MassTransit;
using Microsoft.Extensions.Options;
using MusicSearch.Core.Messages;

namespace MusicSearch.Indexing.Pipeline;

/// <summary>
/// Consumes <see cref="IndexTrack"/> in batches and publishes <see cref="TrackIndexed"/> or
/// <see cref="TrackIndexingFailed"/> per message.
/// <para>
/// A batch is acknowledged as a whole, so the messages of permanently failed tracks are not faulted by MassTransit:
/// they are sent to the queue's <c>_error</c> queue here, with the fault headers MassTransit itself writes
/// (<c>MT-Fault-Message</c> carries the reason), and the rest of the batch completes. A transient failure (the store
/// unavailable, a decode timeout) throws, so the whole batch is retried with backoff and, if it never succeeds,
/// faulted into the error queue by MassTransit; tracks already stored are skipped by the retry.
/// </para>
/// </summary>
public sealed class IndexTrackBatchConsumer(TrackIndexer indexer, TimeProvider time) : IConsumer<Batch<IndexTrack>>
{
    /// <summary>The reason code of a permanent failure, next to the MassTransit fault headers of an error-queue message.</summary>
    public const string FailureCodeHeader = "MusicSearch-Failure-Code";

    public async Task Consume(ConsumeContext<Batch<IndexTrack>> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var batch = context.Message;
        var attempt = context.GetRetryAttempt() + context.GetRedeliveryCount() + 1;
        var outcomes = await indexer.IndexAsync(batch.Select(message => message.Message).ToArray(), attempt, context.CancellationToken).ConfigureAwait(false);

        var events = new List<object>(outcomes.Count);
        for (var i = 0; i < outcomes.Count; i++)
        {
            switch (outcomes[i])
            {
                case TrackIndexedOutcome indexed:
                    events.Add(indexed.Event);
                    break;
                case TrackFailedOutcome failed:
                    await SendToErrorQueueAsync(batch[i], failed.Failure, context.CancellationToken).ConfigureAwait(false);
                    if (failed.Message.Track is { } track && track.Id != default)
                    {
                        events.Add(new TrackIndexingFailed(track.Id, failed.Failure.Code, failed.Failure.Reason, Permanent: true, failed.Attempts, time.GetUtcNow()));
                    }
                    break;
            }
        }
        foreach (var message in events)
        {
            await context.Publish(message, context.CancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SendToErrorQueueAsync(ConsumeContext<IndexTrack> message, IndexingFailure failure, CancellationToken cancellationToken)
    {
        // The queue's name is the input address' last segment, whatever prefix or naming convention made it.
        var queue = message.ReceiveContext.InputAddress.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries)[^1];
        var endpoint = await message.GetSendEndpoint(new Uri($"queue:{queue}_error")).ConfigureAwait(false);
        await endpoint.Send(message.Message, send =>
        {
            send.MessageId = message.MessageId;
            send.CorrelationId = message.CorrelationId;
            send.Headers.Set(MessageHeaders.Reason, "fault");
            send.Headers.Set(MessageHeaders.FaultExceptionType, typeof(PermanentIndexingException).FullName);
            send.Headers.Set(MessageHeaders.FaultMessage, $"{failure.Code}: {failure.Reason}");
            send.Headers.Set(MessageHeaders.FaultTimestamp, time.GetUtcNow().UtcDateTime.ToString("O"));
            send.Headers.Set(MessageHeaders.FaultConsumerType, TypeCache<IndexTrackBatchConsumer>.ShortName);
            send.Headers.Set(MessageHeaders.FaultMessageType, TypeCache<IndexTrack>.ShortName);
            send.Headers.Set(MessageHeaders.FaultInputAddress, message.ReceiveContext.InputAddress.ToString());
            send.Headers.Set(FailureCodeHeader, failure.Code);
        }, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// Batch size, time limit and concurrency of <see cref="IndexTrackBatchConsumer"/>, on the queue named after the message
/// (<c>index-track</c>, with the bus' endpoint prefix).
/// </summary>
public sealed class IndexTrackBatchConsumerDefinition : ConsumerDefinition<IndexTrackBatchConsumer>
{
    private readonly PipelineOptions _options;

    public IndexTrackBatchConsumerDefinition(IOptions<PipelineOptions> options, IEndpointNameFormatter names)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(names);
        _options = options.Value;
        EndpointName = names.Message<IndexTrack>();
        ConcurrentMessageLimit = _options.BatchMessageLimit * _options.BatchConcurrency;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<IndexTrackBatchConsumer> consumerConfigurator, IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        ArgumentNullException.ThrowIfNull(consumerConfigurator);
        // Every message of a full batch must be deliverable at once, or batches only ever close on the time limit.
        endpointConfigurator.PrefetchCount = Math.Max(endpointConfigurator.PrefetchCount, _options.BatchMessageLimit * _options.BatchConcurrency);
        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(_options.BatchMessageLimit)
            .SetTimeLimit(_options.BatchTimeLimit)
            .SetConcurrencyLimit(_options.BatchConcurrency));
    }
}

/// <summary>Puts a consumer on the queue named after the message it consumes (<c>remove-track</c>, <c>reindex-catalog</c>).</summary>
public sealed class MessageQueueDefinition<TConsumer, TMessage> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer<TMessage>
    where TMessage : class
{
    public MessageQueueDefinition(IEndpointNameFormatter names)
    {
        ArgumentNullException.ThrowIfNull(names);
        EndpointName = names.Message<TMessage>();
    }
}

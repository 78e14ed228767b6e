using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MusicSearch.Core.Messages;
using MusicSearch.Core.Storage;

namespace MusicSearch.Indexing.Pipeline;

/// <summary>Starts a catalog re-index on a worker whose model is the requested one (<see cref="CatalogReindexer.StartAsync"/>).</summary>
public sealed class ReindexCatalogConsumer(CatalogReindexer reindexer) : IConsumer<ReindexCatalog>
{
    public Task Consume(ConsumeContext<ReindexCatalog> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return reindexer.StartAsync(context.Message.ModelVersion, (messages, token) => context.PublishBatch(messages, token), context.CancellationToken);
    }
}

/// <summary>Runs <see cref="CatalogReindexer.CheckAsync"/> every <see cref="PipelineOptions.ReindexCheckInterval"/>.</summary>
public sealed class ReindexWatcher(CatalogReindexer reindexer, IBus bus, IOptions<PipelineOptions> options, ILogger<ReindexWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReindexCheckInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await reindexer.CheckAsync((messages, token) => bus.PublishBatch(messages, token), stoppingToken).ConfigureAwait(false);
            }
            catch (TrackStoreUnavailableException ex)
            {
                PipelineLog.ReindexCheckSkipped(logger, ex);
            }
        }
    }
}

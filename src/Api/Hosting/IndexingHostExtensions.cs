using Microsoft.Extensions.Options;
using MusicSearch.Core.Storage;
using MusicSearch.Indexing.Hosting;
using MusicSearch.Indexing.Messaging;
using MusicSearch.Indexing.Pipeline;
using MusicSearch.Inference.Embedding;

namespace MusicSearch.Api.Hosting;

/// <summary>
/// The two deployments of ARCHITECTURE.md §3, chosen by <c>Bus:Transport</c>. <c>InMemory</c> (embedded): the Api hosts
/// the indexing pipeline's consumers itself, on MassTransit's in-memory transport. The track store is chosen apart, by
/// <c>Store:Kind</c> (<see cref="TrackStores"/>): embedded or Qdrant under either transport.
/// <c>RabbitMq</c> (distributed): the Api only sends pipeline messages to the workers' queues and reads their depth.
/// Either way the model package (<c>Model:Package</c>) is loaded once, at start, and its thread-safe embedder is shared by
/// indexing and query-by-audio.
/// </summary>
public static class IndexingHostExtensions
{
    public static IServiceCollection AddApiIndexing(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddTrackStore(configuration);
        services.AddOptions<ModelOptions>().Bind(configuration.GetSection(ModelOptions.Section));
        services.AddIndexingPipeline(configuration);
        // The pipeline reads Indexer:Package; in the Api the package is a concern of its own (Model:Package).
        services.AddOptions<PipelineOptions>().Configure<IOptions<ModelOptions>>((pipeline, model) =>
        {
            if (!string.IsNullOrWhiteSpace(model.Value.Package))
            {
                pipeline.Package = Path.GetFullPath(model.Value.Package);
            }
        });
        var embedded = (configuration.GetSection(BusOptions.SectionName).Get<BusOptions>() ?? new BusOptions()).Transport == BusTransport.InMemory;
        services.AddMusicSearchBus(configuration, bus =>
        {
            if (embedded)
            {
                bus.AddIndexingConsumers();
            }
        }, WorkerHost.PermanentFailures);
        services.AddQueueDepthMonitor();
        services.AddHostedService<ModelWarmup>();
        return services;
    }

    /// <summary>Loads the package when the host starts, so a bad path fails the start with its reason instead of the first upload.</summary>
    private sealed class ModelWarmup(AudioEmbedder embedder, ILogger<ModelWarmup> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            HostingLog.ModelLoaded(logger, embedder.ModelVersion, embedder.Dimensions, embedder.SampleRate);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

internal static partial class HostingLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Model {ModelVersion} loaded: {Dimensions} dimensions, {SampleRate} Hz")]
    public static partial void ModelLoaded(ILogger logger, string modelVersion, int dimensions, int sampleRate);
}

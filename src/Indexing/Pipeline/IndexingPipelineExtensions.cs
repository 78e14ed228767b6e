using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MusicSearch.Core.Audio;
using MusicSearch.Core.Audio.Sources;
using MusicSearch.Core.Messages;
using MusicSearch.Indexing.Messaging;

namespace MusicSearch.Indexing.Pipeline;

/// <summary>Registers the indexing pipeline in a host: the worker (<c>musicsearch worker</c>) or the Api in embedded mode.</summary>
public static class IndexingPipelineExtensions
{
    /// <summary>
    /// The model, decoding, <see cref="TrackIndexer"/>, <see cref="CatalogReindexer"/> with its watcher and the metrics,
    /// from the <c>Indexer</c> and <c>Audio</c> sections. The host registers the track store
    /// (<see cref="Core.Storage.ITrackCollections"/>) and the bus, passing <see cref="AddIndexingConsumers"/> to it.
    /// </summary>
    public static IServiceCollection AddIndexingPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<PipelineOptions>()
            .Bind(configuration.GetSection(PipelineOptions.Section))
            .Validate(options =>
            {
                options.Validate();
                return true;
            })
            .ValidateOnStart();
        // Indexing keeps audio that decodes whole despite ffmpeg's complaints; Audio:RejectDecoderErrors=true restores strictness.
        services.Configure<AudioDecoderOptions>(options => options.RejectDecoderErrors = false);
        services.Configure<AudioDecoderOptions>(configuration.GetSection("Audio"));
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<IndexerMetrics>();
        services.TryAddSingleton<EmbeddingModel>();
        services.TryAddSingleton(provider => provider.GetRequiredService<EmbeddingModel>().Embedder);
        services.Configure<AudioSourceOptions>(configuration.GetSection(AudioSourceOptions.SectionName));
        services.TryAddSingleton(provider => new AudioSourceResolver(provider.GetRequiredService<IOptions<AudioSourceOptions>>().Value));
        services.TryAddSingleton<ITrackAudioLoader>(provider => new SourceTrackAudioLoader(new AudioSourceDecoder(
            provider.GetRequiredService<AudioSourceResolver>(), new AudioDecoder(provider.GetRequiredService<IOptions<AudioDecoderOptions>>().Value))));
        services.TryAddSingleton<CollectionResolver>();
        services.TryAddSingleton<TrackIndexer>();
        services.TryAddSingleton<CatalogReindexer>();
        services.AddHostedService<ReindexWatcher>();
        return services;
    }

    /// <summary>
    /// With the RabbitMQ transport, samples the depth of the pipeline's queues for the metrics
    /// (<see cref="QueueDepthMonitor"/>); in memory there is no broker queue to measure, only the in-flight gauge.
    /// </summary>
    public static IServiceCollection AddQueueDepthMonitor(this IServiceCollection services)
    {
        services.AddSingleton(provider =>
        {
            var bus = provider.GetRequiredService<IOptions<BusOptions>>();
            var prefix = bus.Value.EndpointPrefix;
            return new QueueDepthMonitor(bus, provider.GetRequiredService<IMeterFactory>(),
                [PipelineQueues.Name<IndexTrack>(prefix), PipelineQueues.Name<RemoveTrack>(prefix), PipelineQueues.Name<ReindexCatalog>(prefix)],
                provider.GetRequiredService<ILogger<QueueDepthMonitor>>());
        });
        services.AddHostedService(provider => provider.GetRequiredService<QueueDepthMonitor>());
        return services;
    }

    /// <summary>The pipeline's consumers, each on its own queue: <c>index-track</c> (batched), <c>remove-track</c>, <c>reindex-catalog</c>.</summary>
    public static void AddIndexingConsumers(this IBusRegistrationConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.AddConsumer<IndexTrackBatchConsumer, IndexTrackBatchConsumerDefinition>();
        bus.AddConsumer<RemoveTrackConsumer, MessageQueueDefinition<RemoveTrackConsumer, RemoveTrack>>();
        bus.AddConsumer<ReindexCatalogConsumer, MessageQueueDefinition<ReindexCatalogConsumer, ReindexCatalog>>();
    }
}

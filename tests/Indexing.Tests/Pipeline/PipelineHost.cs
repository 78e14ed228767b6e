using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MusicSearch.Core.Diagnostics;
using MusicSearch.Core.Messages;
using MusicSearch.Core.Storage;
using MusicSearch.Indexing.Hosting;
using MusicSearch.Indexing.Messaging;
using MusicSearch.Indexing.Pipeline;

namespace MusicSearch.Indexing.Tests.Pipeline;

/// <summary>
/// The pipeline hosted in the test process exactly as the worker registers it (same extensions), on a store the test
/// owns, with a recorder of the events it publishes and of what lands in the <c>index-track_error</c> queue.
/// </summary>
public sealed class PipelineHost : IAsyncDisposable
{
    private readonly IHost _host;

    private PipelineHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public PipelineEvents Events => _host.Services.GetRequiredService<PipelineEvents>();

    public IBus Bus => _host.Services.GetRequiredService<IBus>();

    /// <param name="package">The worker's model package; null hosts only the recorders (a test's view of a remote worker).</param>
    /// <param name="store">The store the pipeline writes; unused without a package.</param>
    /// <param name="settings">Overrides of the test defaults (transport, endpoint prefix…).</param>
    public static async Task<PipelineHost> StartAsync(string? package, ITrackCollections? store, IDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Indexer:Package"] = package,
            ["Indexer:BatchMessageLimit"] = "8",
            ["Indexer:BatchTimeLimit"] = "00:00:00.300",
            ["Indexer:DecodeParallelism"] = "2",
            ["Indexer:EmbedBatch"] = "4",
            ["Indexer:ReindexCheckInterval"] = "00:00:00.200",
            ["Audio:Sources:LibraryRoots:0"] = Path.GetTempPath(),
            ["Bus:Transport"] = "InMemory",
            ["Bus:Retry:Limit"] = "4",
            ["Bus:Retry:MinInterval"] = "00:00:00.100",
            ["Bus:Retry:IntervalDelta"] = "00:00:00.100",
            ["Bus:Retry:MaxInterval"] = "00:00:00.500",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        var prefix = builder.Configuration["Bus:EndpointPrefix"] ?? "";
        builder.Services.AddSingleton<PipelineEvents>();
        if (package is not null)
        {
            builder.Services.AddSingleton(store ?? throw new ArgumentNullException(nameof(store)));
            builder.Services.AddIndexingPipeline(builder.Configuration);
        }
        builder.Services.AddPrometheusExporter();
        builder.Services.AddMusicSearchBus(builder.Configuration, bus =>
        {
            if (package is not null)
            {
                bus.AddIndexingConsumers();
            }
            bus.AddConsumer<EventRecorder>().Endpoint(endpoint => endpoint.Name = "test-event-recorder");
            // Reads the error queue without subscribing it to IndexTrack.
            bus.AddConsumer<ErrorQueueRecorder>().Endpoint(endpoint =>
            {
                endpoint.Name = (prefix.Length == 0 ? "" : prefix + "-") + "index-track_error";
                endpoint.ConfigureConsumeTopology = false;
            });
        }, WorkerHost.PermanentFailures);
        var host = builder.Build();
        await host.StartAsync();
        return new PipelineHost(host);
    }

    public string Metrics() => _host.Services.GetRequiredService<PrometheusExporter>().Scrape();

    public Task StopAsync() => _host.StopAsync();

    // Stopped, not disposed: MassTransit keeps the first host's logger factory in a static log context, and a later
    // host in the same process fails to start once that factory is disposed. The worker process has one host.
    public async ValueTask DisposeAsync() => await _host.StopAsync();
}

/// <summary>What the pipeline published, and the messages that reached the error queue with their fault headers.</summary>
public sealed class PipelineEvents
{
    public ConcurrentQueue<TrackIndexed> Indexed { get; } = new();

    public ConcurrentQueue<TrackIndexingFailed> Failed { get; } = new();

    public ConcurrentQueue<(IndexTrack Message, string? FaultMessage, string? Code)> Errors { get; } = new();
}

public sealed class EventRecorder(PipelineEvents events) : IConsumer<TrackIndexed>, IConsumer<TrackIndexingFailed>
{
    public Task Consume(ConsumeContext<TrackIndexed> context)
    {
        events.Indexed.Enqueue(context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<TrackIndexingFailed> context)
    {
        events.Failed.Enqueue(context.Message);
        return Task.CompletedTask;
    }
}

public sealed class ErrorQueueRecorder(PipelineEvents events) : IConsumer<IndexTrack>
{
    public Task Consume(ConsumeContext<IndexTrack> context)
    {
        events.Errors.Enqueue((context.Message, context.Headers.Get<string>(MessageHeaders.FaultMessage), context.Headers.Get<string>(IndexTrackBatchConsumer.FailureCodeHeader)));
        return Task.CompletedTask;
    }
}

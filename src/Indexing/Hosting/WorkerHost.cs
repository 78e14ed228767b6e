using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MusicSearch.Core.Audio;
using MusicSearch.Core.Diagnostics;
using MusicSearch.Core.Storage;
using MusicSearch.Indexing.Messaging;
using MusicSearch.Indexing.Pipeline;

namespace MusicSearch.Indexing.Hosting;

/// <summary>
/// The indexing worker: the pipeline's consumers on the configured bus, the configured track store, Prometheus
/// metrics at <c>/metrics</c>, health at <c>/health</c>, JSON console logs. Stops on SIGTERM or Ctrl+C after the
/// batches in progress complete (what was never acknowledged is redelivered to the next worker).
/// </summary>
public static class WorkerHost
{
    /// <param name="args">Configuration overrides (<c>--Section:Key=value</c>).</param>
    /// <param name="settings">Settings that take precedence over appsettings and environment (from the command's options).</param>
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole();
        // A batch in progress may take a while to finish with a large model; stopping waits for it.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromMinutes(2));

        // Embedded or Qdrant by configuration alone (Store:Kind, see TrackStores).
        builder.Services.AddTrackStore(builder.Configuration);
        builder.Services.AddIndexingPipeline(builder.Configuration);
        builder.Services.AddMusicSearchBus(builder.Configuration, bus => bus.AddIndexingConsumers(), PermanentFailures);
        builder.Services.AddQueueDepthMonitor();
        builder.Services.AddPrometheusExporter();
        builder.Services.AddHealthChecks();

        var app = builder.Build();
        app.MapPrometheusMetrics();
        app.MapHealthChecks("/health");
        return app;
    }

    /// <summary>Audio that will not decode next time either skips the retries of message-level consumers (every host of the pipeline passes this to the bus).</summary>
    public static void PermanentFailures(MassTransit.IExceptionConfigurator failures) =>
        failures.Ignore<AudioDecodeException>(exception => exception.Kind != AudioDecodeError.TimedOut);

    /// <summary>
    /// A <see cref="PrometheusExporter"/> over the meters of this host's <see cref="IMeterFactory"/>, created when the
    /// host starts: a listener only sees measurements made after it exists.
    /// </summary>
    public static IServiceCollection AddPrometheusExporter(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton(provider =>
        {
            var factory = provider.GetRequiredService<IMeterFactory>();
            return new PrometheusExporter(meter => meter.Scope == factory);
        });
        services.AddHostedService<ExporterActivation>();
        return services;
    }

    public static IEndpointRouteBuilder MapPrometheusMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/metrics", (PrometheusExporter exporter) => Results.Text(exporter.Scrape(), PrometheusExporter.ContentType));
        return endpoints;
    }

    private sealed class ExporterActivation(PrometheusExporter exporter) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            GC.KeepAlive(exporter);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

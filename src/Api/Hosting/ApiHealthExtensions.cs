using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using MusicSearch.Core.Audio;
using MusicSearch.Core.Storage;

namespace MusicSearch.Api.Hosting;

/// <summary>
/// Liveness (the process answers) and readiness (what a request needs is in place: ffmpeg, the track store opened and
/// answering, and the message bus — connected to the broker with RabbitMQ — whose check the bus registration tags
/// <c>ready</c>), for orchestrators and the UI.
/// </summary>
public static class ApiHealthExtensions
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddApiHealth(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<AudioDecoderOptions>(configuration.GetSection("Audio"));
        services.AddSingleton(provider => new AudioToolCheck(provider.GetRequiredService<IOptions<AudioDecoderOptions>>().Value));
        services.AddHealthChecks()
            .AddCheck<AudioToolsHealthCheck>("audio-tools", tags: [ReadyTag])
            .AddCheck<TrackStoreHealthCheck>("store", tags: [ReadyTag]);
        return services;
    }

    public static WebApplication MapApiHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteJsonAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteJsonAsync });
        return app;
    }

    private static Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.Select(entry => new
            {
                name = entry.Key,
                status = entry.Value.Status.ToString(),
                description = entry.Value.Description,
                durationMs = Math.Round(entry.Value.Duration.TotalMilliseconds, 1),
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}

/// <summary>Ready only when ffmpeg and ffprobe run: query-by-audio and indexing need both.</summary>
internal sealed class AudioToolsHealthCheck(AudioToolCheck tools) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var versions = await tools.RunAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{versions.Ffmpeg}; {versions.Ffprobe}");
        }
        catch (InvalidOperationException ex)
        {
            return HealthCheckResult.Unhealthy(ex.Message);
        }
    }
}

/// <summary>Ready when the store opens and answers a count on its active collection (or has none yet: a fresh store is usable).</summary>
internal sealed class TrackStoreHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // Resolved here rather than injected: a store that cannot open must make the check unhealthy, not the endpoint fail.
            var collections = services.GetRequiredService<ITrackCollections>();
            if (await collections.GetActiveAsync(cancellationToken).ConfigureAwait(false) is not { } active)
            {
                return HealthCheckResult.Healthy("no active collection yet");
            }
            var counts = await active.CountAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"{active.Info.Name}: {counts.Indexed} indexed, {counts.Pending} pending, {counts.Failed} failed");
        }
        catch (TrackStoreException ex)
        {
            return HealthCheckResult.Unhealthy(ex.Message);
        }
    }
}

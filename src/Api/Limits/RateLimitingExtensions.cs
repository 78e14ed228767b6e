using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using MusicSearch.Api.Errors;

namespace MusicSearch.Api.Limits;

/// <summary>
/// One fixed-window limiter per API key (partitioned by the key's name, known after authentication) and one per client
/// IP for requests without a key. Probes (<c>/health</c>, <c>/metrics</c>) are not limited: an orchestrator must always
/// get an answer. Refused requests get 429 with <c>Retry-After</c> and a JSON error body.
/// </summary>
public static class RateLimitingExtensions
{
    public static IServiceCollection AddApiRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>()
            .Bind(configuration.GetSection(RateLimitOptions.Section))
            .Validate(options => !options.Problems().Any(), "RateLimit settings out of range")
            .ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, settings) =>
        {
            var limits = settings.Value;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, limits));
            limiter.OnRejected = RejectAsync;
        });
        return services;
    }

    private static RateLimitPartition<string> Partition(HttpContext context, RateLimitOptions limits)
    {
        if (context.Request.Path.StartsWithSegments("/health") || context.Request.Path.StartsWithSegments("/metrics"))
        {
            return RateLimitPartition.GetNoLimiter("probes");
        }
        var (partition, permits) = context.User.Identity is { IsAuthenticated: true, Name: { } name }
            ? ("key:" + name, limits.PermitLimit)
            : ("ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"), limits.AnonymousPermitLimit);
        return RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = limits.Window,
            QueueLimit = 0,
        });
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await ApiError.WriteAsync(rejected.HttpContext, StatusCodes.Status429TooManyRequests, "rate-limited",
            $"too many requests: try again in {seconds} s").ConfigureAwait(false);
    }
}

using Microsoft.Extensions.Options;
using MusicSearch.Web.Hosting;

namespace MusicSearch.Web.ApiClient;

/// <summary>What the UI knows about the Api it depends on.</summary>
public sealed record ApiStatus(bool Reachable, string Detail);

/// <summary>Asks the Api's readiness endpoint, so editors see at once when the backend is down.</summary>
public sealed partial class ApiStatusClient(HttpClient http, IOptions<WebOptions> options, ILogger<ApiStatusClient> logger)
{
    public async Task<ApiStatus> GetAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var address = new Uri(settings.ApiBaseUrl, "health/ready");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.ApiTimeout);
        try
        {
            using var response = await http.GetAsync(address, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            return response.IsSuccessStatusCode
                ? new ApiStatus(true, body)
                : new ApiStatus(false, $"{(int)response.StatusCode} {response.ReasonPhrase}: {body}");
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogApiUnavailable(logger, ex, settings.ApiBaseUrl);
            return new ApiStatus(false, $"no answer from {settings.ApiBaseUrl}: {ex.Message}");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Api at {ApiBaseUrl} is unavailable")]
    private static partial void LogApiUnavailable(ILogger logger, Exception exception, Uri apiBaseUrl);
}

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace MusicSearch.Core.Storage.Qdrant;

/// <summary>
/// Qdrant's REST API over one <see cref="HttpClient"/>: JSON in, the answer's <c>result</c> out. Each attempt has
/// <see cref="QdrantStoreOptions.Timeout"/>; 5xx answers, timeouts and connection failures are retried with exponential
/// backoff and end in <see cref="TrackStoreUnavailableException"/>; 4xx answers throw
/// <see cref="QdrantRequestException"/> with Qdrant's message at once. Every request the store sends is idempotent
/// (points have fixed ids, writes carry version guards), so a retry after a lost answer is safe.
/// </summary>
internal sealed partial class QdrantHttp : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _client;
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger _logger;

    public QdrantHttp(QdrantStoreOptions options, HttpMessageHandler? handler, ILogger logger)
    {
        _logger = logger;
        _client = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _client.BaseAddress = options.Url;
        // Polly owns the per-attempt timeout; HttpClient's own would end the retries too.
        _client.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
        if (!string.IsNullOrEmpty(options.ApiKey))
        {
            _client.DefaultRequestHeaders.Add("api-key", options.ApiKey);
        }
        var pipeline = new ResiliencePipelineBuilder();
        if (options.MaxRetries > 0)
        {
            pipeline.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .Handle<QdrantServerException>(),
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = arguments =>
                {
                    LogRetry(_logger, arguments.AttemptNumber + 1, arguments.RetryDelay.TotalMilliseconds, arguments.Outcome.Exception?.Message);
                    return ValueTask.CompletedTask;
                },
            });
        }
        _pipeline = pipeline.AddTimeout(options.Timeout).Build();
    }

    public Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Get, path, null, cancellationToken);

    public Task<JsonElement> PostAsync(string path, JsonNode body, CancellationToken cancellationToken) => SendAsync(HttpMethod.Post, path, body, cancellationToken);

    public Task<JsonElement> PutAsync(string path, JsonNode body, CancellationToken cancellationToken) => SendAsync(HttpMethod.Put, path, body, cancellationToken);

    public Task<JsonElement> DeleteAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Delete, path, null, cancellationToken);

    /// <summary>Sends a request (retrying as described above) and returns the answer's <c>result</c>.</summary>
    public async Task<JsonElement> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        var request = $"{method} {path}";
        var content = body?.ToJsonString();
        try
        {
            return await _pipeline.ExecuteAsync(async token => await AttemptAsync(method, path, content, request, token).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }
        catch (QdrantServerException exception)
        {
            throw new TrackStoreUnavailableException($"Qdrant failed {request}: {exception.Message}", exception);
        }
        catch (TimeoutRejectedException exception)
        {
            throw new TrackStoreUnavailableException($"Qdrant did not answer {request} within the timeout", exception);
        }
        catch (HttpRequestException exception)
        {
            throw new TrackStoreUnavailableException($"Qdrant could not be reached for {request}: {exception.Message}", exception);
        }
    }

    /// <summary>Disposes the client; a handler passed in stays its owner's.</summary>
    public void Dispose() => _client.Dispose();

    private async Task<JsonElement> AttemptAsync(HttpMethod method, string path, string? content, string request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(method, path);
        if (content is not null)
        {
            message.Content = new StringContent(content, Encoding.UTF8, Json);
        }
        using var response = await _client.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return ParseResult(text, request);
        }
        var error = ErrorMessage(text);
        if ((int)response.StatusCode >= 500)
        {
            throw new QdrantServerException($"{(int)response.StatusCode} {response.StatusCode}: {error ?? "no error message"}");
        }
        throw new QdrantRequestException(response.StatusCode, request, error);
    }

    private static JsonElement ParseResult(string text, string request)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.TryGetProperty("result", out var result)
                ? result.Clone()
                : throw new TrackStoreException($"Qdrant answered {request} without a result");
        }
        catch (JsonException exception)
        {
            throw new TrackStoreException($"Qdrant answered {request} with invalid JSON", exception);
        }
    }

    /// <summary>Qdrant's <c>status.error</c>, or the start of the body when the answer is not Qdrant's (a proxy's page).</summary>
    private static string? ErrorMessage(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("status", out var status)
                && status.ValueKind == JsonValueKind.Object
                && status.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.String)
            {
                return error.GetString();
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall through to the raw text.
        }
        return text.Length == 0 ? null : text[..Math.Min(text.Length, 300)];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Qdrant request failed ({Reason}); attempt {Attempt} in {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, int attempt, double delayMs, string? reason);

    /// <summary>A 5xx answer inside the retry loop; surfaces as <see cref="TrackStoreUnavailableException"/>.</summary>
    private sealed class QdrantServerException(string message) : Exception(message);
}

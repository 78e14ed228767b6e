using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using MusicSearch.Web.Hosting;
using MusicSearch.Web.Previews;

namespace MusicSearch.Web.ApiClient;

/// <summary>
/// GraphQL over HTTP to the Api: JSON POSTs, and multipart uploads as the GraphQL multipart request spec lays them out.
/// Sends the UI's own API key from the server; every failure (no answer, HTTP error, GraphQL error) becomes an
/// <see cref="ApiCallException"/> with a message for editors.
/// </summary>
public sealed partial class GraphQLTransport(HttpClient http, IOptions<WebOptions> options, ILogger<GraphQLTransport> logger)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper) },
    };

    public Task<T> SendAsync<T>(string document, object? variables, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new { query = document, variables }, Json);
        return SendAsync<T>(() => new StringContent(body, System.Text.Encoding.UTF8, "application/json"), options.Value.ApiTimeout, cancellationToken);
    }

    /// <summary>Sends <paramref name="file"/> as the variable <c>file</c> of <paramref name="document"/>.</summary>
    public Task<T> UploadAsync<T>(string document, JsonObject variables, Stream file, string fileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(variables);
        variables["file"] = null;
        var operations = new JsonObject { ["query"] = document, ["variables"] = variables }.ToJsonString();
        return SendAsync<T>(() =>
        {
            var content = new StreamContent(file);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            return new MultipartFormDataContent
            {
                { new StringContent(operations, System.Text.Encoding.UTF8, "application/json"), "operations" },
                { new StringContent("""{"0":["variables.file"]}""", System.Text.Encoding.UTF8, "application/json"), "map" },
                { content, "0", Path.GetFileName(fileName) },
            };
        }, options.Value.UploadTimeout, cancellationToken);
    }

    private async Task<T> SendAsync<T>(Func<HttpContent> content, TimeSpan limit, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(settings.ApiBaseUrl, "graphql")) { Content = content() };
        request.Headers.Accept.ParseAdd("application/graphql-response+json");
        request.Headers.Accept.ParseAdd("application/json;q=0.9");
        if (!string.IsNullOrEmpty(settings.ApiKey))
        {
            request.Headers.Add("X-Api-Key", settings.ApiKey);
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        JsonNode? answer;
        HttpStatusCode status;
        try
        {
            using var response = await http.SendAsync(request, timeout.Token);
            status = response.StatusCode;
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            answer = TryParse(text);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogUnreachable(logger, ex, settings.ApiBaseUrl);
            var why = ex is OperationCanceledException ? $"no answer within {limit.TotalSeconds:0} s" : ex.Message;
            throw new ApiCallException(ApiCallException.Unreachable, null,
                $"The MusicSearch Api at {settings.ApiBaseUrl} did not answer ({why}). Check that it runs, then try again.", null, ex);
        }
        return Read<T>(answer, status);
    }

    private T Read<T>(JsonNode? answer, HttpStatusCode status)
    {
        if (answer?["errors"] is JsonArray { Count: > 0 } errors)
        {
            var first = errors[0]!;
            var code = (string?)first["extensions"]?["code"] ?? (status == HttpStatusCode.Unauthorized ? ApiCallException.Unauthenticated : "ERROR");
            var failure = FriendlyErrors.From(code, (string?)first["extensions"]?["reason"], (string?)first["message"] ?? "no message");
            LogGraphQLError(logger, code, failure.Detail);
            throw failure;
        }
        if (answer?["error"] is JsonObject error)
        {
            // The Api's non-GraphQL error shape: authentication and rate limits answer before GraphQL runs.
            var code = status == HttpStatusCode.Unauthorized ? ApiCallException.Unauthenticated : ((string?)error["code"] ?? "ERROR").Replace('-', '_').ToUpperInvariant();
            throw FriendlyErrors.From(code, (string?)error["code"], (string?)error["message"] ?? status.ToString());
        }
        if (answer?["data"] is not JsonObject data)
        {
            throw new ApiCallException("BAD_RESPONSE", null, $"The Api answered {(int)status} {status} without data; see its logs.");
        }
        PreviewProxy.MakeLocal(data);
        return data.Deserialize<T>(Json) ?? throw new ApiCallException("BAD_RESPONSE", null, "The Api answered with empty data.");
    }

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Api at {ApiBaseUrl} did not answer")]
    private static partial void LogUnreachable(ILogger logger, Exception exception, Uri apiBaseUrl);

    [LoggerMessage(Level = LogLevel.Information, Message = "Api answered with GraphQL error {Code}: {Detail}")]
    private static partial void LogGraphQLError(ILogger logger, string code, string? detail);
}

using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using MusicSearch.Web.Hosting;

namespace MusicSearch.Web.Previews;

/// <summary>
/// Previews reach editors through the UI: the Api's signed <c>/audio/{id}?exp=…&amp;sig=…</c> URLs are rewritten to the
/// same path on this site, and <c>GET /audio/{id}</c> here streams the Api's answer (range requests included). So a
/// browser never needs to reach the Api's address, which in a cluster it cannot (<c>http://api:8080</c>).
/// </summary>
public static partial class PreviewProxy
{
    public const string HttpClientName = "previews";

    private static readonly string[] RequestHeaders = ["Range", "If-Range", "If-None-Match", "If-Modified-Since"];
    private static readonly string[] ResponseHeaders = ["Accept-Ranges", "ETag", "Cache-Control"];

    /// <summary>Replaces every <c>previewUrl</c> in a GraphQL answer by its path and query on this site.</summary>
    public static void MakeLocal(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject item:
                foreach (var (name, value) in item.ToArray())
                {
                    if (name == "previewUrl" && value?.GetValueKind() == System.Text.Json.JsonValueKind.String
                        && Uri.TryCreate(value.GetValue<string>(), UriKind.Absolute, out var url))
                    {
                        item[name] = url.PathAndQuery;
                    }
                    else
                    {
                        MakeLocal(value);
                    }
                }
                break;
            case JsonArray list:
                foreach (var value in list)
                {
                    MakeLocal(value);
                }
                break;
        }
    }

    public static RouteHandlerBuilder MapPreviewProxy(this IEndpointRouteBuilder endpoints) => endpoints.MapGet("/audio/{trackId}", ServeAsync);

    private static async Task ServeAsync(string trackId, HttpContext context, IHttpClientFactory clients, IOptions<WebOptions> options,
        ILoggerFactory logs)
    {
        var target = new Uri(options.Value.ApiBaseUrl, $"audio/{Uri.EscapeDataString(trackId)}{context.Request.QueryString}");
        using var request = new HttpRequestMessage(HttpMethod.Get, target);
        foreach (var name in RequestHeaders)
        {
            if (context.Request.Headers.TryGetValue(name, out var values))
            {
                request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }
        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        }
        catch (HttpRequestException ex)
        {
            LogUnreachable(logs.CreateLogger(typeof(PreviewProxy)), ex, target);
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            return;
        }
        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var name in ResponseHeaders)
            {
                if (response.Headers.TryGetValues(name, out var values))
                {
                    context.Response.Headers[name] = values.ToArray();
                }
            }
            var content = response.Content.Headers;
            context.Response.ContentType = content.ContentType?.ToString();
            context.Response.ContentLength = content.ContentLength;
            if (content.ContentRange is { } range)
            {
                context.Response.Headers.ContentRange = range.ToString();
            }
            if (content.LastModified is { } modified)
            {
                context.Response.Headers.LastModified = modified.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            }
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Preview at {Target} unavailable")]
    private static partial void LogUnreachable(ILogger logger, Exception exception, Uri target);
}

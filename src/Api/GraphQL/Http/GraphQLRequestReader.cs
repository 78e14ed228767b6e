using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using MusicSearch.GraphQL.Execution;

namespace MusicSearch.Api.GraphQL.Http;

/// <summary>
/// Reads a GraphQL request the ways the GraphQL-over-HTTP draft and the multipart request spec send it: GET with
/// <c>query</c>, <c>operationName</c>, <c>variables</c> and <c>extensions</c> parameters; POST with an
/// <c>application/json</c> body; POST <c>multipart/form-data</c> with <c>operations</c>, <c>map</c> and file parts.
/// Anything else is refused with a <see cref="GraphQLHttpException"/> naming the problem (400, 413 or 415).
/// </summary>
public static class GraphQLRequestReader
{
    private static readonly IReadOnlyDictionary<string, IFormFile> NoUploads = new Dictionary<string, IFormFile>();

    /// <summary>Whether the request is a multipart upload (which needs an editor key, checked before its body is read).</summary>
    public static bool IsMultipart(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase);
    }

    /// <param name="request">The HTTP request.</param>
    /// <param name="jsonLimit">Largest JSON body (and <c>operations</c> field) accepted.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    public static async Task<ParsedGraphQLRequest> ReadAsync(HttpRequest request, long jsonLimit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            if (HttpMethods.IsGet(request.Method))
            {
                return FromQueryString(request.Query);
            }
            if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType))
            {
                throw Unsupported(request.ContentType);
            }
            if (contentType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            {
                if (contentType.Charset.HasValue && !contentType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
                {
                    throw Unsupported(request.ContentType);
                }
                return await FromJsonBodyAsync(request, jsonLimit, cancellationToken).ConfigureAwait(false);
            }
            if (IsMultipart(request))
            {
                return await FromMultipartAsync(request, jsonLimit, cancellationToken).ConfigureAwait(false);
            }
            throw Unsupported(request.ContentType);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge($"the request body is larger than the {request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize} bytes allowed");
        }
        catch (InvalidDataException ex)
        {
            // Malformed multipart framing, or a form part over its limit.
            throw GraphQLHttpException.BadRequest($"the multipart body cannot be read: {ex.Message}");
        }
    }

    private static ParsedGraphQLRequest FromQueryString(IQueryCollection query)
    {
        var documents = new List<JsonDocument>();
        try
        {
            var request = new GraphQLRequest(Single(query, "query"), Single(query, "operationName"),
                JsonParameter(query, "variables", documents), JsonParameter(query, "extensions", documents));
            return new ParsedGraphQLRequest(request, NoUploads, documents);
        }
        catch
        {
            documents.ForEach(document => document.Dispose());
            throw;
        }
    }

    private static async Task<ParsedGraphQLRequest> FromJsonBodyAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        // The endpoint admits upload-sized bodies for multipart requests; a JSON body gets the ordinary limit.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }
        if (request.ContentLength > limit)
        {
            throw TooLarge($"the request body has {request.ContentLength} bytes; at most {limit} are allowed");
        }
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, default, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw GraphQLHttpException.BadRequest($"the request body is not valid JSON: {ex.Message}");
        }
        try
        {
            return new ParsedGraphQLRequest(FromJson(document.RootElement, "the request body"), NoUploads, [document]);
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    /// <summary>The GraphQL multipart request spec: <c>operations</c> (the JSON request with nulls for files), <c>map</c> (part → paths), files.</summary>
    private static async Task<ParsedGraphQLRequest> FromMultipartAsync(HttpRequest request, long jsonLimit, CancellationToken cancellationToken)
    {
        var reader = new FormFeature(request, new FormOptions { ValueLengthLimit = (int)Math.Min(jsonLimit, int.MaxValue) });
        var form = await reader.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        var operations = ParseField(form, "operations") as JsonObject
            ?? throw GraphQLHttpException.BadRequest("the multipart field 'operations' must hold one GraphQL request as a JSON object (batches are not supported)");
        var map = ParseField(form, "map") as JsonObject
            ?? throw GraphQLHttpException.BadRequest("the multipart field 'map' must be a JSON object of file part names to lists of paths");
        var uploads = new Dictionary<string, IFormFile>(StringComparer.Ordinal);
        foreach (var (part, paths) in map)
        {
            var file = form.Files.GetFile(part) ?? throw GraphQLHttpException.BadRequest($"'map' names the file part '{part}', which the request does not have");
            if (paths is not JsonArray { Count: > 0 } list)
            {
                throw GraphQLHttpException.BadRequest($"'map' must give file part '{part}' a non-empty list of paths");
            }
            foreach (var path in list)
            {
                Place(operations, path?.GetValueKind() == JsonValueKind.String ? path.GetValue<string>() : "", part);
            }
            uploads[part] = file;
        }
        var document = JsonDocument.Parse(operations.ToJsonString());
        try
        {
            return new ParsedGraphQLRequest(FromJson(document.RootElement, "'operations'"), uploads, [document]);
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    /// <summary>Puts the file part's name where <paramref name="path"/> (<c>variables.file</c>, <c>variables.files.0</c>) points, which must hold null.</summary>
    private static void Place(JsonObject operations, string path, string part)
    {
        var keys = path.Split('.');
        if (keys.Length < 2 || keys[0] != "variables")
        {
            throw GraphQLHttpException.BadRequest($"the path '{path}' of file part '{part}' must lead into 'variables'");
        }
        JsonNode? parent = operations;
        for (var i = 0; i < keys.Length - 1; i++)
        {
            parent = Child(parent, keys[i]) ?? throw GraphQLHttpException.BadRequest($"the path '{path}' of file part '{part}' is not in 'operations'");
        }
        var last = keys[^1];
        switch (parent)
        {
            case JsonObject target when target.ContainsKey(last) && target[last] is null:
                target[last] = part;
                break;
            case JsonArray target when int.TryParse(last, out var index) && index >= 0 && index < target.Count && target[index] is null:
                target[index] = part;
                break;
            default:
                throw GraphQLHttpException.BadRequest($"the path '{path}' of file part '{part}' must point at a null in 'operations'");
        }
    }

    private static JsonNode? Child(JsonNode? node, string key) => node switch
    {
        JsonObject target => target[key],
        JsonArray target when int.TryParse(key, out var index) && index >= 0 && index < target.Count => target[index],
        _ => null,
    };

    private static JsonNode? ParseField(IFormCollection form, string name)
    {
        if (!form.TryGetValue(name, out var values) || values.Count != 1)
        {
            throw GraphQLHttpException.BadRequest($"a multipart GraphQL request needs exactly one field '{name}'");
        }
        try
        {
            return JsonNode.Parse(values[0]!);
        }
        catch (JsonException ex)
        {
            throw GraphQLHttpException.BadRequest($"the multipart field '{name}' is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>The request's four members, each of the type the draft requires; other members are ignored.</summary>
    private static GraphQLRequest FromJson(JsonElement root, string what)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw GraphQLHttpException.BadRequest(root.ValueKind == JsonValueKind.Array
                ? $"{what} is a JSON array: batched requests are not supported, send one operation per request"
                : $"{what} must be a JSON object with a 'query'");
        }
        return new GraphQLRequest(
            Member(root, "query", JsonValueKind.String)?.GetString(),
            Member(root, "operationName", JsonValueKind.String)?.GetString(),
            Member(root, "variables", JsonValueKind.Object),
            Member(root, "extensions", JsonValueKind.Object));
    }

    private static JsonElement? Member(JsonElement root, string name, JsonValueKind kind)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == kind
            ? value
            : throw GraphQLHttpException.BadRequest($"'{name}' must be a JSON {kind.ToString().ToLowerInvariant()} or null, got {value.ValueKind.ToString().ToLowerInvariant()}");
    }

    private static string? Single(IQueryCollection query, string name) => query.TryGetValue(name, out var values)
        ? values.Count == 1 ? values[0] : throw GraphQLHttpException.BadRequest($"the parameter '{name}' is given {values.Count} times")
        : null;

    private static JsonElement? JsonParameter(IQueryCollection query, string name, List<JsonDocument> documents)
    {
        if (Single(query, name) is not { } text)
        {
            return null;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            throw GraphQLHttpException.BadRequest($"the parameter '{name}' is not valid JSON: {ex.Message}");
        }
        documents.Add(document);
        return document.RootElement.ValueKind switch
        {
            JsonValueKind.Object => document.RootElement,
            JsonValueKind.Null => null,
            _ => throw GraphQLHttpException.BadRequest($"the parameter '{name}' must be a JSON object"),
        };
    }

    private static GraphQLHttpException Unsupported(string? contentType) => new(StatusCodes.Status415UnsupportedMediaType, GraphQLErrorCodes.UnsupportedMediaType,
        $"a GraphQL POST takes 'application/json' (UTF-8), or 'multipart/form-data' for uploads; got '{contentType ?? "no content type"}'");

    private static GraphQLHttpException TooLarge(string message) => new(StatusCodes.Status413PayloadTooLarge, GraphQLErrorCodes.PayloadTooLarge, message);
}

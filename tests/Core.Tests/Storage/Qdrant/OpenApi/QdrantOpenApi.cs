using System.Text.Json;
using MusicSearch.Testing;

namespace MusicSearch.Core.Tests.Storage.Qdrant.OpenApi;

/// <summary>
/// Qdrant's published REST contract (<c>shared/qdrant/openapi-v1.19.json</c>): finds the operation of a request and
/// validates its query parameters, its body against the operation's <c>requestBody</c> schema, and answers against the
/// operation's <c>responses</c>.
/// </summary>
public sealed class QdrantOpenApi
{
    private readonly JsonElement _paths;

    private QdrantOpenApi(JsonDocument document)
    {
        var root = document.RootElement;
        _paths = root.GetProperty("paths");
        Schemas = new JsonSchemaValidator(root.GetProperty("components").GetProperty("schemas"));
    }

    public static QdrantOpenApi Document { get; } = new(JsonDocument.Parse(File.ReadAllText(RepositoryPaths.SharedFile("qdrant", "openapi-v1.19.json"))));

    public JsonSchemaValidator Schemas { get; }

    /// <summary>The operation object of <paramref name="method"/> on <paramref name="path"/> (no query), or null when the document has none.</summary>
    public JsonElement? Operation(HttpMethod method, string path)
    {
        var segments = path.Trim('/').Split('/');
        JsonElement? best = null;
        var bestLiterals = -1;
        foreach (var template in _paths.EnumerateObject())
        {
            var parts = template.Name.Trim('/').Split('/');
            if (parts.Length != segments.Length || !template.Value.TryGetProperty(method.Method.ToLowerInvariant(), out var operation))
            {
                continue;
            }
            var literals = 0;
            var matches = true;
            for (var i = 0; i < parts.Length && matches; i++)
            {
                if (parts[i].StartsWith('{'))
                {
                    matches = segments[i].Length > 0;
                }
                else
                {
                    matches = parts[i] == segments[i];
                    literals++;
                }
            }
            // A literal segment beats a parameter: /collections/aliases is not the collection named "aliases".
            if (matches && literals > bestLiterals)
            {
                (best, bestLiterals) = (operation, literals);
            }
        }
        return best;
    }

    /// <summary>Problems of a request: unknown operation, undeclared or invalid query parameters, a body off its schema.</summary>
    public List<string> ValidateRequest(HttpMethod method, Uri uri, string? body)
    {
        var errors = new List<string>();
        var request = $"{method} {uri.AbsolutePath}";
        if (Operation(method, uri.AbsolutePath) is not { } operation)
        {
            return [$"{request}: no such operation in the OpenAPI document"];
        }
        var parameters = operation.TryGetProperty("parameters", out var p) ? p.EnumerateArray().ToList() : [];
        foreach (var (name, value) in Query(uri))
        {
            var declared = parameters.FirstOrDefault(parameter => parameter.GetProperty("in").GetString() == "query" && parameter.GetProperty("name").GetString() == name);
            if (declared.ValueKind == JsonValueKind.Undefined)
            {
                errors.Add($"{request}: query parameter '{name}' is not declared");
                continue;
            }
            var schema = declared.GetProperty("schema");
            errors.AddRange(Schemas.Validate(schema, QueryValue(schema, value)).Select(e => $"{request} ?{name}={value}: {e}"));
        }
        var schemaOfBody = operation.TryGetProperty("requestBody", out var requestBody) ? requestBody.GetProperty("content").GetProperty("application/json").GetProperty("schema") : default;
        if (body is null)
        {
            if (schemaOfBody.ValueKind != JsonValueKind.Undefined && requestBody.TryGetProperty("required", out var required) && required.GetBoolean())
            {
                errors.Add($"{request}: the body is required");
            }
            return errors;
        }
        if (schemaOfBody.ValueKind == JsonValueKind.Undefined)
        {
            errors.Add($"{request}: the operation takes no body");
            return errors;
        }
        using var json = JsonDocument.Parse(body);
        errors.AddRange(Schemas.Validate(schemaOfBody, json.RootElement).Select(e => $"{request} body {e}"));
        return errors;
    }

    /// <summary>Problems of an answer against the operation's response for that status (or its 4XX / default one).</summary>
    public List<string> ValidateResponse(HttpMethod method, string path, int status, string body)
    {
        if (Operation(method, path) is not { } operation)
        {
            return [$"{method} {path}: no such operation in the OpenAPI document"];
        }
        var responses = operation.GetProperty("responses");
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!responses.TryGetProperty(key, out var response) && !responses.TryGetProperty($"{key[0]}XX", out response) && !responses.TryGetProperty("default", out response))
        {
            return [$"{method} {path}: status {status} is not a documented answer"];
        }
        var schema = response.GetProperty("content").GetProperty("application/json").GetProperty("schema");
        using var json = JsonDocument.Parse(body);
        return [.. Schemas.Validate(schema, json.RootElement).Select(e => $"{method} {path} answer {status} {e}")];
    }

    /// <summary>The response schema of a successful answer, for building answers shaped like the document's.</summary>
    public JsonElement SuccessSchema(HttpMethod method, string path) =>
        Operation(method, path)!.Value.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema");

    private static IEnumerable<(string Name, string Value)> Query(Uri uri) =>
        uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(pair => (Uri.UnescapeDataString(pair[0]), pair.Length > 1 ? Uri.UnescapeDataString(pair[1]) : ""));

    /// <summary>A query string value as the JSON its schema describes (booleans and numbers unquoted).</summary>
    private JsonElement QueryValue(JsonElement schema, string value)
    {
        var resolved = schema.TryGetProperty("$ref", out var reference) ? Schemas.Resolve(reference.GetString()!) : schema;
        var type = resolved.TryGetProperty("type", out var t) ? t.GetString() : null;
        var json = type is "boolean" or "integer" or "number" ? value : JsonSerializer.Serialize(value);
        try
        {
            return JsonDocument.Parse(json).RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonDocument.Parse(JsonSerializer.Serialize(value)).RootElement.Clone();
        }
    }
}

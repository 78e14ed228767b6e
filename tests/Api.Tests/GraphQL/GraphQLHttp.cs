using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MusicSearch.Api.Tests.Hosting;

namespace MusicSearch.Api.Tests.GraphQL;

/// <summary>A GraphQL response as a client sees it: status, media type, and the JSON body.</summary>
public sealed record GraphQLResponse(HttpStatusCode Status, string? MediaType, string Text)
{
    public JsonElement Body { get; } = JsonDocument.Parse(Text).RootElement.Clone();

    public JsonElement Data => Body.GetProperty("data");

    public IReadOnlyList<JsonElement> Errors => Body.TryGetProperty("errors", out var errors) ? [.. errors.EnumerateArray()] : [];

    /// <summary>The <c>extensions.code</c> of every error.</summary>
    public IReadOnlyList<string?> Codes => [.. Errors.Select(error => error.TryGetProperty("extensions", out var extensions) ? extensions.GetProperty("code").GetString() : null)];

    public override string ToString() => $"{(int)Status} {MediaType}: {Text}";
}

/// <summary>Sends GraphQL requests over HTTP the way clients do.</summary>
internal static class GraphQLHttp
{
    public const string GraphQLResponseType = "application/graphql-response+json";

    /// <summary>POST application/json, asking for graphql-response+json.</summary>
    public static Task<GraphQLResponse> PostAsync(this ApiHost api, string query, object? variables = null, string? key = ApiHost.ReaderKey,
        string? operationName = null, string accept = GraphQLResponseType) =>
        api.SendJsonAsync(JsonSerializer.Serialize(new { query, variables, operationName }), key, accept);

    public static async Task<GraphQLResponse> SendJsonAsync(this ApiHost api, string body, string? key = ApiHost.ReaderKey, string? accept = GraphQLResponseType,
        string contentType = "application/json")
    {
        using var request = ApiHost.Request(HttpMethod.Post, "/graphql", key);
        request.Content = new StringContent(body, Encoding.UTF8);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }
        return await api.SendAsync(request);
    }

    /// <summary>GET with the request in the query string.</summary>
    public static async Task<GraphQLResponse> GetAsync(this ApiHost api, string? query, object? variables = null, string? key = ApiHost.ReaderKey,
        string? operationName = null, object? extensions = null)
    {
        var parameters = new List<string>();
        if (query is not null)
        {
            parameters.Add("query=" + Uri.EscapeDataString(query));
        }
        if (variables is not null)
        {
            parameters.Add("variables=" + Uri.EscapeDataString(JsonSerializer.Serialize(variables)));
        }
        if (operationName is not null)
        {
            parameters.Add("operationName=" + Uri.EscapeDataString(operationName));
        }
        if (extensions is not null)
        {
            parameters.Add("extensions=" + Uri.EscapeDataString(JsonSerializer.Serialize(extensions)));
        }
        using var request = ApiHost.Request(HttpMethod.Get, "/graphql?" + string.Join('&', parameters), key);
        request.Headers.Accept.ParseAdd(GraphQLResponseType);
        return await api.SendAsync(request);
    }

    public static async Task<GraphQLResponse> SendAsync(this ApiHost api, HttpRequestMessage request)
    {
        using var response = await api.Client.SendAsync(request);
        return new GraphQLResponse(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Asserts a 200 answer with data and no errors, and returns the data.</summary>
    public static JsonElement AssertData(this GraphQLResponse response)
    {
        Assert.True(response.Status == HttpStatusCode.OK && response.Errors.Count == 0, response.ToString());
        return response.Data;
    }

    /// <summary>Asserts one error with this code (and status), whose message contains <paramref name="messagePart"/>.</summary>
    public static JsonElement AssertError(this GraphQLResponse response, HttpStatusCode status, string code, string messagePart = "")
    {
        Assert.True(response.Status == status, response.ToString());
        var error = Assert.Single(response.Errors);
        Assert.True(response.Codes[0] == code, response.ToString());
        Assert.Contains(messagePart, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        return error;
    }
}

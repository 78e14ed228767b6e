using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MusicSearch.Api.Tests.Hosting;
using MusicSearch.Testing;

namespace MusicSearch.Api.Tests.GraphQL;

/// <summary>
/// <c>/graphql</c> as the GraphQL-over-HTTP draft describes it, on real Kestrel: methods, media types, status codes,
/// operation selection, malformed requests and the document limits. No client mistake gets a 500.
/// </summary>
[Collection(ApiTestGroup.Name)]
public sealed class GraphQLOverHttpTests(PipelineFixture fixture) : IAsyncLifetime
{
    private const string TitleQuery = "query Title($id: ID!) { track(id: $id) { id title } }";
    private ApiHost _api = null!;

    public async Task InitializeAsync()
    {
        _api = ApiHost.Start(fixture, new Dictionary<string, string?> { ["Limits:MaxRequestBodyBytes"] = "2000000" });
        await _api.SeedAsync(3, fixture.AudioFiles);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_POSTed_query_is_answered_as_graphql_response_json()
    {
        var response = await _api.PostAsync(TitleQuery, new { id = "t001" });
        Assert.Equal(GraphQLHttp.GraphQLResponseType, response.MediaType);
        Assert.Equal("""{"data":{"track":{"id":"t001","title":"Song 1"}}}""", response.Text);
    }

    [Fact]
    public async Task A_GET_query_with_variables_and_operation_name_is_answered()
    {
        var response = await _api.GetAsync(TitleQuery + " query Other { models { current { version } } }", new { id = "t002" }, operationName: "Title");
        Assert.Equal("Song 2", response.AssertData().GetProperty("track").GetProperty("title").GetString());
    }

    [Fact]
    public async Task The_named_operation_runs_and_an_unknown_name_is_a_request_error()
    {
        const string document = "query A { track(id: \"t000\") { id } } query B { track(id: \"t001\") { id } }";
        var b = await _api.PostAsync(document, operationName: "B");
        Assert.Equal("t001", b.AssertData().GetProperty("track").GetProperty("id").GetString());
        var unnamed = await _api.PostAsync(document);
        unnamed.AssertError(HttpStatusCode.BadRequest, "OPERATION_RESOLUTION_FAILURE", "Must provide operation name");
        var unknown = await _api.PostAsync(document, operationName: "C");
        unknown.AssertError(HttpStatusCode.BadRequest, "OPERATION_RESOLUTION_FAILURE", "Unknown operation named \"C\"");
    }

    [Fact]
    public async Task A_mutation_over_GET_gets_405_and_allows_POST()
    {
        using var request = ApiHost.Request(HttpMethod.Get, "/graphql?query=" + Uri.EscapeDataString("mutation { retryFailed { enqueued } }"), ApiHost.EditorKey);
        using var response = await _api.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", Assert.Single(response.Content.Headers.Allow));
        var body = new GraphQLResponse(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
        body.AssertError(HttpStatusCode.MethodNotAllowed, "METHOD_NOT_ALLOWED", "POST");
    }

    [Fact]
    public async Task A_syntax_error_is_400_with_graphql_response_json_and_200_with_legacy_json()
    {
        var modern = await _api.PostAsync("{ track(id: \"t000\") { id }");
        var error = modern.AssertError(HttpStatusCode.BadRequest, "GRAPHQL_PARSE_FAILED", "Syntax Error");
        Assert.Equal(GraphQLHttp.GraphQLResponseType, modern.MediaType);
        Assert.True(error.TryGetProperty("locations", out _));
        Assert.False(modern.Body.TryGetProperty("data", out _));

        var legacy = await _api.PostAsync("{ track(id: \"t000\") { id }", accept: "application/json");
        legacy.AssertError(HttpStatusCode.OK, "GRAPHQL_PARSE_FAILED", "Syntax Error");
        Assert.Equal("application/json", legacy.MediaType);
    }

    [Fact]
    public async Task A_document_that_breaks_a_validation_rule_is_400_and_nothing_runs()
    {
        var response = await _api.PostAsync("{ track(id: \"t000\") { id nope } }");
        response.AssertError(HttpStatusCode.BadRequest, "GRAPHQL_VALIDATION_FAILED", "Cannot query field \"nope\" on type \"Track\".");
        Assert.False(response.Body.TryGetProperty("data", out _));
        var wrongType = await _api.PostAsync("{ similarTracks(trackId: \"t000\", first: \"ten\") { nodes { id } } }");
        wrongType.AssertError(HttpStatusCode.BadRequest, "GRAPHQL_VALIDATION_FAILED", "Int cannot represent");
    }

    [Theory]
    [InlineData(null, "application/json")]
    [InlineData("*/*", GraphQLHttp.GraphQLResponseType)]
    [InlineData("application/json", "application/json")]
    [InlineData("application/graphql-response+json, application/json;q=0.9", GraphQLHttp.GraphQLResponseType)]
    [InlineData("application/json, application/graphql-response+json;q=0.5", "application/json")]
    [InlineData("text/html", "application/json")]
    public async Task The_Accept_header_picks_the_response_media_type(string? accept, string expected)
    {
        var response = await _api.SendJsonAsync("""{"query":"{ track(id: \"t000\") { id } }"}""", accept: accept);
        Assert.Equal((HttpStatusCode.OK, expected), (response.Status, response.MediaType));
    }

    [Fact]
    public async Task A_field_error_is_200_with_data_and_the_errors_path()
    {
        var response = await _api.PostAsync("{ found: track(id: \"t000\") { id } missing: track(id: \"nope\") { id } }");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("t000", response.Data.GetProperty("found").GetProperty("id").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, response.Data.GetProperty("missing").ValueKind);
        var error = Assert.Single(response.Errors);
        Assert.Equal(["NOT_FOUND"], response.Codes);
        Assert.Equal("missing", error.GetProperty("path")[0].GetString());
    }

    [Theory]
    [InlineData("{\"query\": ", "not valid JSON")]
    [InlineData("[{\"query\": \"{ models { current { version } } }\"}]", "batched requests are not supported")]
    [InlineData("{\"query\": 42}", "'query' must be a JSON string")]
    [InlineData("{\"query\": \"{ models { current { version } } }\", \"variables\": [1]}", "'variables' must be a JSON object")]
    [InlineData("\"just a string\"", "must be a JSON object")]
    public async Task A_malformed_body_is_400_with_a_graphql_error(string body, string messagePart)
    {
        var response = await _api.SendJsonAsync(body);
        response.AssertError(HttpStatusCode.BadRequest, "BAD_REQUEST", messagePart);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/graphql")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json; charset=latin1")]
    public async Task Another_content_type_is_415(string contentType)
    {
        var response = await _api.SendJsonAsync("""{"query":"{ models { current { version } } }"}""", contentType: contentType);
        response.AssertError(HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", "application/json");
    }

    [Fact]
    public async Task Variables_of_the_wrong_type_are_a_request_error()
    {
        var response = await _api.PostAsync(TitleQuery, new { id = new { nested = true } });
        response.AssertError(HttpStatusCode.BadRequest, "BAD_USER_INPUT", "Variable \"$id\"");
    }

    [Fact]
    public async Task A_bad_argument_value_is_a_field_error_with_BAD_USER_INPUT()
    {
        var response = await _api.PostAsync("{ similarTracks(trackId: \"t000\", first: 1000) { edges { score } } }");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(["BAD_USER_INPUT"], response.Codes);
        Assert.Contains("first must be between 1 and 100", response.Errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_nested_50_levels_deep_is_refused_as_too_complex()
    {
        var query = new StringBuilder("{ track(id: \"t000\") { ");
        // track, then 24 × (similar, track), then id: 50 levels.
        for (var i = 0; i < 24; i++)
        {
            query.Append("similar { track { ");
        }
        query.Append("id ").Append(new string('}', 24 * 2)).Append(" } }");
        var response = await _api.PostAsync(query.ToString());
        response.AssertError(HttpStatusCode.BadRequest, "QUERY_TOO_COMPLEX", "levels deep");
    }

    [Fact]
    public async Task A_one_megabyte_query_is_refused_as_too_long()
    {
        var query = "{ models { current { version } } }" + new string(' ', 1_000_000);
        var response = await _api.PostAsync(query);
        response.AssertError(HttpStatusCode.BadRequest, "QUERY_TOO_COMPLEX", "characters long");
    }

    [Fact]
    public async Task A_body_over_the_request_limit_is_413_with_a_graphql_error()
    {
        var response = await _api.PostAsync("{ models { current { version } } }" + new string(' ', 2_100_000));
        response.AssertError(HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE", "at most 2000000");
    }

    [Fact]
    public async Task A_request_without_a_query_is_a_request_error()
    {
        var response = await _api.SendJsonAsync("{}");
        response.AssertError(HttpStatusCode.BadRequest, "BAD_USER_INPUT", "Must provide query string");
    }

    [Fact]
    public async Task Without_a_key_the_endpoint_answers_401_and_a_wrong_key_too()
    {
        var missing = await _api.PostAsync("{ models { current { version } } }", key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.Status);
        var wrong = await _api.PostAsync("{ models { current { version } } }", key: "not-a-configured-key-at-all");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
    }

    [Fact]
    public async Task A_PUT_is_405()
    {
        using var request = ApiHost.Request(HttpMethod.Put, "/graphql", ApiHost.ReaderKey);
        request.Content = new StringContent("{}", Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        using var response = await _api.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}

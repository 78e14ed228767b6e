using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using MusicSearch.Api.GraphQL.Http;
using MusicSearch.Api.Tests.Hosting;
using MusicSearch.Testing;

namespace MusicSearch.Api.Tests.GraphQL;

/// <summary>Automatic persisted queries as Apollo clients use them: hash only, not found, hash with query, then hash only again.</summary>
[Collection(ApiTestGroup.Name)]
public sealed class PersistedQueryTests(PipelineFixture fixture) : IAsyncLifetime
{
    private ApiHost _api = null!;

    public async Task InitializeAsync()
    {
        _api = ApiHost.Start(fixture);
        await _api.SeedAsync(2, fixture.AudioFiles);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task An_unknown_hash_is_not_found_then_registered_with_its_query_and_found_by_POST_and_GET()
    {
        const string query = "query Persisted { track(id: \"t001\") { title } }";
        var hash = PersistedQueryStore.Hash(query);

        var unknown = await _api.SendJsonAsync(Body(null, hash));
        unknown.AssertError(HttpStatusCode.BadRequest, "PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound");
        var legacy = await _api.SendJsonAsync(Body(null, hash), accept: "application/json");
        legacy.AssertError(HttpStatusCode.OK, "PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound");

        var registered = await _api.SendJsonAsync(Body(query, hash));
        Assert.Equal("Song 1", registered.AssertData().GetProperty("track").GetProperty("title").GetString());

        var byHash = await _api.SendJsonAsync(Body(null, hash.ToUpperInvariant()));
        Assert.Equal("Song 1", byHash.AssertData().GetProperty("track").GetProperty("title").GetString());
        var byGet = await _api.GetAsync(null, extensions: Extensions(hash));
        Assert.Equal("Song 1", byGet.AssertData().GetProperty("track").GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_query_that_does_not_have_the_hash_is_refused()
    {
        var response = await _api.SendJsonAsync(Body("{ track(id: \"t000\") { id } }", PersistedQueryStore.Hash("{ something else }")));
        response.AssertError(HttpStatusCode.BadRequest, "PERSISTED_QUERY_HASH_MISMATCH", "does not match");
    }

    [Fact]
    public async Task A_document_that_fails_to_parse_is_not_stored()
    {
        const string broken = "{ track(id: \"t000\") { id }";
        var hash = PersistedQueryStore.Hash(broken);
        (await _api.SendJsonAsync(Body(broken, hash))).AssertError(HttpStatusCode.BadRequest, "GRAPHQL_PARSE_FAILED");
        (await _api.SendJsonAsync(Body(null, hash))).AssertError(HttpStatusCode.BadRequest, "PERSISTED_QUERY_NOT_FOUND");
    }

    [Theory]
    [InlineData("""{"version": 2, "sha256Hash": "0000000000000000000000000000000000000000000000000000000000000000"}""", "version 1")]
    [InlineData("""{"version": 1, "sha256Hash": "xyz"}""", "64 hex digits")]
    [InlineData("""{"version": 1}""", "64 hex digits")]
    [InlineData("\"hash\"", "version 1")]
    public async Task A_malformed_extension_is_refused(string extension, string messagePart)
    {
        var response = await _api.SendJsonAsync("{\"extensions\": {\"persistedQuery\": " + extension + "}}");
        response.AssertError(HttpStatusCode.BadRequest, "PERSISTED_QUERY_NOT_SUPPORTED", messagePart);
    }

    [Fact]
    public void The_store_forgets_the_least_recently_used_past_its_entry_and_character_bounds()
    {
        var store = new PersistedQueryStore(Options.Create(new GraphQLHttpOptions { PersistedQueryEntries = 2, PersistedQueryCharacters = 30 }));
        store.Add("a", "{ a }");
        store.Add("b", "{ b }");
        Assert.True(store.TryGet("a", out _));
        store.Add("c", "{ c }");
        Assert.Equal((true, false, true), (store.TryGet("a", out _), store.TryGet("b", out _), store.TryGet("c", out _)));

        store.Add("long", new string('x', 26));
        Assert.Equal((1, true), (store.Count, store.TryGet("long", out _)));
        store.Add("too-long", new string('y', 31));
        Assert.False(store.TryGet("too-long", out _));
    }

    private static object Extensions(string hash) => new { persistedQuery = new { version = 1, sha256Hash = hash } };

    private static string Body(string? query, string hash) => JsonSerializer.Serialize(new { query, extensions = Extensions(hash) });
}

using System.Net;

namespace MusicSearch.Core.Tests.Storage.Qdrant.OpenApi;

/// <summary>The validator itself: it must admit what the document admits and catch what a typo or a wrong type makes.</summary>
public sealed class OpenApiValidatorTests
{
    private static readonly QdrantOpenApi Document = QdrantOpenApi.Document;
    private static readonly Uri Query = new("http://q/collections/c/points/query");

    private static List<string> Post(Uri uri, string body) => Document.ValidateRequest(HttpMethod.Post, uri, body);

    [Fact]
    public void A_well_formed_query_is_admitted() =>
        Assert.Empty(Post(Query, """
            {"query":{"recommend":{"positive":["6f1c2b1e-5a0d-4f7e-9c3b-8d2a4e6f1b7c",[0.5,0.5]],"negative":[],"strategy":"average_vector"}},
             "using":"track","limit":5,"score_threshold":0.2,
             "filter":{"must":[{"key":"year","range":{"gte":1990}},{"should":[{"key":"title","match":{"text":"blue"}}]}],"must_not":[{"is_empty":{"key":"artist_key"}}]}}
            """));

    [Theory]
    [InlineData("""{"query":{"nearest":[0.1]},"limt":10}""", "unknown property 'limt'")]
    [InlineData("""{"query":{"nearest":[0.1]},"limit":"10"}""", "$.limit")]
    [InlineData("""{"query":{"nearest":[0.1]},"limit":0}""", "below the minimum")]
    [InlineData("""{"query":{"nearest":[0.1]},"offset":-1}""", "$.offset")]
    [InlineData("""{"query":{"nearst":[0.1]}}""", "$.query")]
    [InlineData("""{"query":{"nearest":["not-a-uuid"]}}""", "$.query")]
    [InlineData("""{"query":{"recommend":{"positive":[[0.1]],"strategy":"mean"}}}""", "$.query")]
    [InlineData("""{"filter":{"must":[{"key":"a","macth":{"value":"x"}}]}}""", "$.filter")]
    [InlineData("""{"filter":{"must":[{"key":"a","match":{"any":["x","x"]}}]}}""", "$.filter")]
    [InlineData("""{"filter":{"must":[{"key":"a","range":{"gte":"1990"}}]}}""", "$.filter")]
    [InlineData("""{"params":{"exact":"yes"}}""", "$.params")]
    [InlineData("""{"with_payload":3}""", "$.with_payload")]
    public void A_misspelled_or_mistyped_query_is_refused(string body, string expected)
    {
        var errors = Post(Query, body);
        Assert.Contains(errors, error => error.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Required_fields_and_enums_are_enforced_in_collection_and_point_bodies()
    {
        var collection = new Uri("http://q/collections/c");
        Assert.Empty(Document.ValidateRequest(HttpMethod.Put, collection, """{"vectors":{"track":{"size":4,"distance":"Cosine"}}}"""));
        Assert.NotEmpty(Document.ValidateRequest(HttpMethod.Put, collection, """{"vectors":{"track":{"size":4,"distance":"cosine"}}}"""));
        Assert.NotEmpty(Document.ValidateRequest(HttpMethod.Put, collection, """{"vectors":{"track":{"distance":"Cosine"}}}"""));
        Assert.NotEmpty(Document.ValidateRequest(HttpMethod.Put, collection, """{"vectors":{"track":{"size":4,"distance":"Cosine"}},"shard_number":0}"""));

        var upsert = new Uri("http://q/collections/c/points?wait=true");
        Assert.Empty(Document.ValidateRequest(HttpMethod.Put, upsert, """{"points":[{"id":"6f1c2b1e-5a0d-4f7e-9c3b-8d2a4e6f1b7c","vector":{},"payload":{"any":{"thing":[1]}}}]}"""));
        Assert.Contains(Document.ValidateRequest(HttpMethod.Put, upsert, """{"points":[{"vector":{}}]}"""), e => e.Contains("required", StringComparison.Ordinal));
        Assert.NotEmpty(Document.ValidateRequest(HttpMethod.Put, upsert, """{"points":[{"id":-1,"vector":{}}]}"""));
    }

    [Fact]
    public void Paths_methods_and_query_parameters_must_exist()
    {
        Assert.Contains("no such operation", Assert.Single(Post(new Uri("http://q/collections/c/points/search"), "{}")), StringComparison.Ordinal);
        Assert.NotEmpty(Document.ValidateRequest(HttpMethod.Patch, new Uri("http://q/aliases"), null));
        Assert.Contains(Post(new Uri("http://q/collections/c/points/batch?wait=true&ordering=fast"), """{"operations":[]}"""), e => e.Contains("ordering", StringComparison.Ordinal));
        Assert.Contains(Post(new Uri("http://q/collections/c/points/batch?wiat=true"), """{"operations":[]}"""), e => e.Contains("not declared", StringComparison.Ordinal));
        Assert.Empty(Post(new Uri("http://q/collections/c/points/batch?wait=true&ordering=medium"), """{"operations":[]}"""));
        // A literal segment wins over a parameter: this is the alias operation, not a collection named "aliases".
        Assert.Empty(Post(new Uri("http://q/collections/aliases"), """{"actions":[{"delete_alias":{"alias_name":"a"}}]}"""));
    }

    [Fact]
    public void Answers_are_checked_against_the_response_schemas()
    {
        const string Path = "/collections/c/points/query";
        Assert.Empty(Document.ValidateResponse(HttpMethod.Post, Path, 200, """{"result":{"points":[{"id":1,"version":3,"score":0.5,"payload":null}]},"status":"ok","time":0.1}"""));
        Assert.Contains(Document.ValidateResponse(HttpMethod.Post, Path, 200, """{"result":{"points":[{"id":1,"score":0.5}]},"status":"ok","time":0.1}"""),
            e => e.Contains("'version'", StringComparison.Ordinal));
        Assert.Empty(Document.ValidateResponse(HttpMethod.Post, Path, (int)HttpStatusCode.BadRequest, """{"status":{"error":"Wrong input"},"time":0.0}"""));
        Assert.NotEmpty(Document.ValidateResponse(HttpMethod.Post, Path, (int)HttpStatusCode.BadRequest, """{"status":{"eror":"Wrong input"}}"""));
    }
}

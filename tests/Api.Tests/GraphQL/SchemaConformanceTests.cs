using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using MusicSearch.Api.GraphQL.SchemaDefinition;
using MusicSearch.Api.Tests.Hosting;
using MusicSearch.GraphQL.Tests.Conformance;
using MusicSearch.GraphQL.Types;
using MusicSearch.Testing;

namespace MusicSearch.Api.Tests.GraphQL;

/// <summary>
/// The reference implementation (graphql-js 16.15.0) reads our server: its <c>getIntrospectionQuery()</c> sent over
/// HTTP, the answer given to <c>buildClientSchema</c> and <c>validateSchema</c>, and the schema it builds printed back
/// exactly as our SDL.
/// </summary>
[Collection(ApiTestGroup.Name)]
public sealed class SchemaConformanceTests(PipelineFixture fixture)
{
    [Fact]
    public async Task Graphql_js_builds_a_valid_client_schema_from_our_introspection_that_prints_as_our_SDL()
    {
        await using var api = ApiHost.Start(fixture);
        var options = new JsonObject { ["descriptions"] = true, ["specifiedByUrl"] = true, ["directiveIsRepeatable"] = true, ["schemaDescription"] = true };
        var query = (string)(await GraphQLJs.AskAsync([GraphQLJs.Request("introspectionQuery", ("options", options))]))[0]["query"]!;

        var response = await api.PostAsync(query);
        var data = response.AssertData();
        var answer = (await GraphQLJs.AskAsync([GraphQLJs.Request("clientSchema", ("introspection", JsonNode.Parse(data.GetRawText())))]))[0];

        Assert.Null(answer["error"]);
        Assert.Empty(answer["errors"]!.AsArray());
        var ours = SchemaPrinter.Print(api.Services.GetRequiredService<MusicSearchSchema>().Schema);
        Assert.Equal(ours, (string)answer["printed"]!);
    }
}

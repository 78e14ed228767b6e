using System.Text.Json.Nodes;
using MusicSearch.GraphQL.Execution;
using MusicSearch.GraphQL.Tests.Execution;
using MusicSearch.GraphQL.Tests.Types;
using MusicSearch.GraphQL.Types;

namespace MusicSearch.GraphQL.Tests.Conformance;

/// <summary>
/// graphql-js's own introspection query, run through our executor, gives a result from which graphql-js builds a
/// valid client schema that prints exactly as our SDL: what any GraphQL client tool sees of our schema is the schema.
/// </summary>
public class IntrospectionConformanceTests(IntrospectionConformanceTests.Answers answers) : IClassFixture<IntrospectionConformanceTests.Answers>
{
    /// <summary>The default query leaves out what a plain schema does not use (schema description, specifiedByURL, ...).</summary>
    [Fact]
    public void The_default_introspection_query_round_trips_a_plain_schema() => AssertRoundTrip(answers.Default, MarkerSchema.Build());

    [Fact]
    public void The_introspection_query_with_every_option_round_trips_the_rich_schema() => AssertRoundTrip(answers.AllOptions, RichSchema.Build());

    private static void AssertRoundTrip(JsonObject answer, Schema schema)
    {
        Assert.Null(answer["error"]);
        Assert.Empty(answer["errors"]!.AsArray());
        Assert.Equal(SchemaPrinter.Print(schema), (string)answer["printed"]!);
    }

    public sealed class Answers : IAsyncLifetime
    {
        public JsonObject Default { get; private set; } = [];

        public JsonObject AllOptions { get; private set; } = [];

        public async Task InitializeAsync()
        {
            var allOptions = new JsonObject
            {
                ["descriptions"] = true,
                ["specifiedByUrl"] = true,
                ["directiveIsRepeatable"] = true,
                ["schemaDescription"] = true,
                ["inputValueDeprecation"] = true,
                ["oneOf"] = true,
            };
            var queries = await GraphQLJs.AskAsync(
            [
                GraphQLJs.Request("introspectionQuery", ("options", new JsonObject())),
                GraphQLJs.Request("introspectionQuery", ("options", allOptions)),
            ]);

            Schema[] schemas = [MarkerSchema.Build(), RichSchema.Build()];
            var executor = new GraphQLExecutor();
            var results = new List<JsonObject>();
            foreach (var (query, schema) in queries.Zip(schemas))
            {
                var result = await executor.ExecuteAsync(schema, new GraphQLRequest((string)query["query"]!));
                Assert.Empty(result.Errors);
                results.Add(JsonNode.Parse(result.ToJson())!["data"]!.AsObject());
            }

            var answers = await GraphQLJs.AskAsync(results.Select(data => GraphQLJs.Request("clientSchema", ("introspection", data))));
            (Default, AllOptions) = (answers[0], answers[1]);
        }

        public Task DisposeAsync() => Task.CompletedTask;
    }
}

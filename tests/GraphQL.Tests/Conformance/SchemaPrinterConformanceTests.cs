using System.Text.Json.Nodes;
using MusicSearch.GraphQL.Tests.Types;
using MusicSearch.GraphQL.Types;

namespace MusicSearch.GraphQL.Tests.Conformance;

/// <summary>
/// Our SDL, read by graphql-js's <c>buildSchema</c>, is a valid schema that <c>printSchema</c> prints back unchanged;
/// and our introspection types and specified directives print as graphql-js's do.
/// </summary>
public class SchemaPrinterConformanceTests(SchemaPrinterConformanceTests.Answers answers) : IClassFixture<SchemaPrinterConformanceTests.Answers>
{
    public static readonly Func<Schema>[] Schemas =
    [
        RichSchema.Build,
        () => new SchemaBuilder()
            .Query<object>("Root", root => root.Field("a", "Int"))
            .Mutation<object>("Changes", changes => changes.Field("b", "Int"))
            .Subscription<object>("Events", events => events.Field("c", "Int"))
            .Build(),
        () => new SchemaBuilder().Query(query => query.Field("only", "String")).Build(),
        () => new SchemaBuilder()
            .Query(query => query
                .Field("a", "String", field => field
                    .Argument("x", "String", "line\nbreak \"quoted\" \\ slash")
                    .Argument("y", "String", argument => argument.Description("  leading spaces"))
                    .Argument("z", "ID", "42")))
            .Enum("E", type => type.Value("A", description: "ends with quote\"").Value("B", description: "ends with slash\\"))
            .Build(),
    ];

    public static TheoryData<int> Cases => [.. Enumerable.Range(0, Schemas.Length)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Graphql_js_reads_our_SDL_and_prints_it_back_unchanged(int index)
    {
        var ours = SchemaPrinter.Print(Schemas[index]());
        var answer = answers.Schemas[index];

        Assert.Null(answer["error"]);
        Assert.Empty(answer["errors"]!.AsArray());
        Assert.Equal(ours, (string)answer["printed"]!);
    }

    [Fact]
    public void Introspection_types_and_specified_directives_match_graphql_js()
    {
        var schema = RichSchema.Build();
        var ours = string.Join("\n\n",
            SpecifiedDirectives.All.Select(SchemaPrinter.Directive)
                .Concat(schema.Types.Where(type => type.Name.StartsWith("__", StringComparison.Ordinal)).Select(SchemaPrinter.Type)));

        Assert.Equal((string)answers.Introspection["printed"]!, ours);
    }

    public sealed class Answers : IAsyncLifetime
    {
        public IReadOnlyList<JsonObject> Schemas { get; private set; } = [];

        public JsonObject Introspection { get; private set; } = [];

        public async Task InitializeAsync()
        {
            var requests = SchemaPrinterConformanceTests.Schemas
                .Select(build => GraphQLJs.Request("printSchema", ("sdl", SchemaPrinter.Print(build()))))
                .Append(GraphQLJs.Request("printIntrospectionSchema"));
            var answers = await GraphQLJs.AskAsync(requests);
            Schemas = answers.SkipLast(1).ToList();
            Introspection = answers[^1];
        }

        public Task DisposeAsync() => Task.CompletedTask;
    }
}

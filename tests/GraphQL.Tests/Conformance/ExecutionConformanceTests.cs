using System.Text.Json;
using System.Text.Json.Nodes;
using MusicSearch.GraphQL.Execution;
using MusicSearch.GraphQL.Tests.Execution;
using MusicSearch.GraphQL.Types;
using MusicSearch.GraphQL.Utilities;

namespace MusicSearch.GraphQL.Tests.Conformance;

/// <summary>
/// Runs the same requests through our executor and graphql-js's <c>graphql()</c>, on the same schema (ours, printed
/// as SDL) and the same JSON root value: the responses must be the same JSON, null propagation and error paths
/// included. Error order may differ only where resolvers run concurrently, so errors are compared as sets.
/// </summary>
public class ExecutionConformanceTests(ExecutionConformanceTests.Answers answers) : IClassFixture<ExecutionConformanceTests.Answers>
{
    private static readonly Schema Schema = MarkerSchema.Build();

    private const string Root = """
        {
          "hello": "world", "int": 42, "float": 1.5, "bool": true, "id": 7, "text": "t",
          "list": [1, null, 3], "nonNullList": [1, 2], "listOfNonNull": [1, null, 3], "nested": [[1], null, [2, null]],
          "obj": {"a": "A", "b": 1, "c": {"a": "inner", "b": null}, "fail": {"$throw": "obj failed"}, "failNonNull": {"$throw": "deep failure"},
                  "items": [{"a": "i0", "b": 0}, {"a": "i1", "b": null}, {"a": "i2", "b": 2}], "tags": ["x", "y"]},
          "nonNullObj": {"a": "N", "b": null},
          "objs": [{"a": "o0", "b": 0}, null, {"a": "o2", "b": 2}],
          "node": {"__typename": "User", "id": "u1", "name": "Ann"},
          "search": [{"__typename": "User", "id": "u1", "name": "Ann"}, {"__typename": "Post", "id": "p1", "title": "Hi"}, null],
          "color": "GREEN", "colors": ["RED", "BLUE"],
          "echo": {"$echo": true},
          "first": 1, "second": {"$async": {"a": "later", "b": 2}}, "third": null
        }
        """;

    private const string AsyncRoot = """
        {
          "hello": {"$async": "world"}, "int": {"$async": 1},
          "obj": {"$async": {"a": {"$async": "A"}, "b": {"$async": 2}, "fail": {"$async": {"$throw": "late failure"}},
                  "failNonNull": {"$async": {"$throw": "late non-null failure"}},
                  "items": {"$async": [{"a": "i0", "b": 0}, {"a": "i1", "b": {"$async": null}}]}}},
          "objs": [{"a": {"$async": "o0"}, "b": {"$async": 0}}, {"a": "o1", "b": {"$async": null}}],
          "node": {"$async": {"__typename": "Post", "id": "p", "title": {"$async": "T"}}}
        }
        """;

    public static readonly (string Query, string? Variables, string? OperationName, string RootValue)[] Corpus =
    [
        ("{ hello int float bool id text }", null, null, Root),
        ("{ a: hello b: hello hello }", null, null, Root),
        ("query Q { list nonNullList nested color colors }", null, null, Root),
        ("{ listOfNonNull }", null, null, Root),
        ("{ obj { a b c { a b } } }", null, null, Root),
        ("{ obj { a fail } }", null, null, Root),
        ("{ obj { a failNonNull } hello }", null, null, Root),
        ("{ nonNullObj { a b } hello }", null, null, Root),
        ("{ obj { items { a b } } }", null, null, Root),
        ("{ objs { a b } }", null, null, Root),
        ("{ obj { tags items { a } } objs { a } }", null, null, Root),
        ("{ node { __typename id ... on User { name } ... on Post { title } } }", null, null, Root),
        ("{ search { __typename ... on User { id name } ... on Post { id title } } }", null, null, Root),
        ("{ search { ...U ...P } } fragment U on User { name } fragment P on Post { title }", null, null, Root),
        ("{ ... on Query { hello } ... { int } }", null, null, Root),
        ("{ obj { ... on Obj { a } a b } }", null, null, Root),
        ("query ($s: Boolean!, $i: Boolean!) { hello @skip(if: $s) int @include(if: $i) float @skip(if: false) @include(if: true) }", """{"s": true, "i": false}""", null, Root),
        ("query ($s: Boolean!) { ...F @skip(if: $s) bool } fragment F on Query { hello }", """{"s": false}""", null, Root),
        ("{ echo(s: \"x\", i: -3, f: 2, b: false, id: 5, e: RED, list: 4, input: {y: \"why\", nested: {y: \"n\", list: [1, 2]}}, ids: [\"a\", 1]) }", null, null, Root),
        ("query ($i: Int, $f: Float, $e: Color, $l: [Int], $in: In, $ids: [ID!]) { echo(i: $i, f: $f, e: $e, list: $l, input: $in, ids: $ids) }",
            """{"i": 3, "f": 4, "e": "BLUE", "l": 9, "in": {"y": "v", "x": null}, "ids": [1, "b"]}""", null, Root),
        ("query ($i: Int = 10, $missing: String) { echo(i: $i, s: $missing) }", null, null, Root),
        ("query ($i: Int!) { echo(i: $i) }", null, null, Root),
        ("query ($i: Int!) { echo(i: $i) }", """{"i": null}""", null, Root),
        ("query ($i: Int) { echo(i: $i) }", """{"i": 1.5}""", null, Root),
        ("query ($i: Int) { echo(i: $i) }", """{"i": 3000000000}""", null, Root),
        ("query ($s: String, $b: Boolean, $id: ID) { echo(s: $s, b: $b, id: $id) }", """{"s": 1, "b": "yes", "id": true}""", null, Root),
        ("query ($e: Color) { echo(e: $e) }", """{"e": "PURPLE"}""", null, Root),
        ("query ($e: Color) { echo(e: $e) }", """{"e": "GREN"}""", null, Root),
        ("query ($in: In) { echo(input: $in) }", """{"in": {"x": "one", "z": 1, "nested": {"list": ["a"]}}}""", null, Root),
        ("query ($in: In) { echo(input: $in) }", """{"in": [1]}""", null, Root),
        ("query ($ids: [ID!]) { echo(ids: $ids) }", """{"ids": [1, null, 2.5]}""", null, Root),
        ("query A { hello } query B { int }", null, "B", Root),
        ("query A { hello } query B { int }", null, null, Root),
        ("query A { hello }", null, "C", Root),
        ("mutation { first second { a b } third }", null, null, Root),
        ("mutation M { second { a } first }", null, null, Root),
        // Not selecting obj.items here: graphql-js answers before an abandoned sibling (obj is null already) finishes,
        // whereas we wait for it, so its late error would be a matter of timing.
        ("{ hello int obj { a b fail failNonNull } objs { a b } node { id ... on Post { title } } }", null, null, AsyncRoot),
        ("{ obj { items { a b } } }", null, null, AsyncRoot),
        ("{ __typename obj { __typename } }", null, null, Root),
        ("{ int }", null, null, """{"int": 1.5}"""),
        ("{ int }", null, null, """{"int": 3000000000}"""),
        ("{ int }", null, null, """{"int": "12"}"""),
        ("{ hello bool float }", null, null, """{"hello": 12.5, "bool": 0, "float": "2.5"}"""),
        ("{ id }", null, null, """{"id": 1.5}"""),
        ("{ color }", null, null, """{"color": "PINK"}"""),
        ("{ list }", null, null, """{"list": 5}"""),
        ("{ node { id } }", null, null, """{"node": {"id": "x"}}"""),
        ("{ node { id } }", null, null, """{"node": {"__typename": "Missing", "id": "x"}}"""),
        ("{ node { id } }", null, null, """{"node": {"__typename": "Color", "id": "x"}}"""),
        ("{ text }", null, null, """{"text": null}"""),
        ("{ nonNullList }", null, null, """{"nonNullList": [1, null]}"""),
        ("{ obj { b } }", null, null, """{"obj": {"b": {"$throw": "no b"}}}"""),
        ("{ __type(name: \"Obj\") { name kind fields { name type { kind name ofType { kind name } } args { name } } interfaces { name } } }", null, null, Root),
        ("{ __type(name: \"Node\") { kind possibleTypes { name } } u: __type(name: \"Result\") { possibleTypes { name } } }", null, null, Root),
        ("{ __type(name: \"In\") { inputFields { name defaultValue type { name } } } c: __type(name: \"Color\") { enumValues { name } } }", null, null, Root),
        ("{ __type(name: \"Nope\") { name } __schema { queryType { name } mutationType { name } subscriptionType { name } } }", null, null, Root),
        ("{ __schema { directives { name isRepeatable locations args { name defaultValue type { kind ofType { name } } } } } }", null, null, Root),
        ("{ __schema { types { name kind } } }", null, null, Root),
        ("{ __type(name: \"Query\") { fields { name args { name defaultValue } } } }", null, null, Root),
        ("{ search { __typename } node { __typename } }", null, null, Root),
    ];

    public static TheoryData<int> Cases => [.. Enumerable.Range(0, Corpus.Length)];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Our_response_matches_graphql_js(int index)
    {
        var (query, variables, operationName, rootValue) = Corpus[index];
        var request = new GraphQLRequest(query, operationName, variables is null ? null : JsonDocument.Parse(variables).RootElement);
        var root = JsonValues.ToClr(JsonDocument.Parse(rootValue).RootElement);

        var result = await new GraphQLExecutor().ExecuteAsync(Schema, request, context: null, rootValue: root, CancellationToken.None);

        var ours = Normalize(JsonNode.Parse(result.ToJson())!.AsObject());
        var theirs = Normalize(answers.For(index));
        Assert.True(theirs.ToJsonString() == ours.ToJsonString(), $"graphql-js: {theirs.ToJsonString()}\nours:       {ours.ToJsonString()}");
    }

    /// <summary>Drops <c>extensions</c> (graphql-js adds none) and orders errors by path and message.</summary>
    private static JsonObject Normalize(JsonObject response)
    {
        var normalized = new JsonObject();
        if (response["errors"] is JsonArray errors)
        {
            var sorted = errors.Select(error => error!.AsObject()).Select(error => new JsonObject
            {
                ["message"] = error["message"]!.DeepClone(),
                ["locations"] = error["locations"]?.DeepClone(),
                ["path"] = error["path"]?.DeepClone(),
            }).OrderBy(error => error["path"]?.ToJsonString(), StringComparer.Ordinal).ThenBy(error => (string)error["message"]!, StringComparer.Ordinal);
            normalized["errors"] = new JsonArray([.. sorted]);
        }

        if (response.ContainsKey("data"))
        {
            normalized["data"] = response["data"]?.DeepClone();
        }

        return normalized;
    }

    public sealed class Answers : IAsyncLifetime
    {
        private IReadOnlyList<JsonObject> _answers = [];

        public JsonObject For(int index) => _answers[index];

        public async Task InitializeAsync()
        {
            var sdl = SchemaPrinter.Print(Schema);
            _answers = await GraphQLJs.AskAsync(Corpus.Select(item => GraphQLJs.Request("execute",
                ("sdl", sdl), ("query", item.Query),
                ("variables", item.Variables is null ? null : JsonNode.Parse(item.Variables)),
                ("operationName", item.OperationName),
                ("rootValue", JsonNode.Parse(item.RootValue)))));
        }

        public Task DisposeAsync() => Task.CompletedTask;
    }
}

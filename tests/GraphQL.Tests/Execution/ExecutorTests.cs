using System.Diagnostics;
using System.Text.Json;
using MusicSearch.GraphQL.Execution;
using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Types;
using MusicSearch.GraphQL.Validation;

namespace MusicSearch.GraphQL.Tests.Execution;

public class ExecutorTests
{
    private readonly GraphQLExecutor _executor = new();

    [Fact]
    public async Task Resolvers_get_typed_arguments_parent_context_and_cancellation()
    {
        using var cancellation = new CancellationTokenSource();
        var schema = new SchemaBuilder()
            .Query(query => query.Field("track", "Track", field => field
                .Argument("id", "ID!")
                .Argument("boost", "Float", 1.5)
                .Resolve(context => new Track(context.Argument<string>("id"), $"{context.ContextAs<string>()} x{context.Argument<double>("boost")}",
                    context.CancellationToken == cancellation.Token))))
            .Object<Track>("Track", track => track
                .Field("id", "ID!", t => t.Id)
                .Field("title", "String!", t => t.Title)
                .Field("sawToken", "Boolean!", t => t.SawToken))
            .Build();

        var result = await _executor.ExecuteAsync(schema, new GraphQLRequest("{ track(id: 7) { id title sawToken } }"), "ctx", cancellation.Token);

        Assert.Equal("""{"data":{"track":{"id":"7","title":"ctx x1.5","sawToken":true}}}""", result.ToJson());
    }

    [Fact]
    public async Task Asynchronous_sibling_fields_resolve_concurrently()
    {
        // Each resolver waits until the other has started: run one after the other, they would wait forever.
        var aStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var bStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var schema = new SchemaBuilder()
            .Query(query => query
                .Field("a", "Int", field => field.ResolveAsync(async _ => { aStarted.SetResult(); await bStarted.Task.WaitAsync(TimeSpan.FromSeconds(20)); return 1; }))
                .Field("b", "Int", field => field.ResolveAsync(async _ => { bStarted.SetResult(); await aStarted.Task.WaitAsync(TimeSpan.FromSeconds(20)); return 2; }))
                .Field("c", "[Int]", field => field.Resolve(_ => Enumerable.Range(1, 3))))
            .Build();

        var result = await _executor.ExecuteAsync(schema, new GraphQLRequest("{ a b c }"));

        Assert.Equal("""{"data":{"a":1,"b":2,"c":[1,2,3]}}""", result.ToJson());
    }

    [Fact]
    public async Task Mutation_fields_run_one_after_another()
    {
        var log = new List<string>();
        var schema = new SchemaBuilder()
            .Query(query => query.Field("x", "Int"))
            .Mutation(mutation => mutation
                .Field("slow", "Int", field => field.ResolveAsync(async _ => { log.Add("slow starts"); await Task.Delay(100); log.Add("slow ends"); return 1; }))
                .Field("fast", "Int", field => field.Resolve(_ => { log.Add("fast"); return 2; })))
            .Build();

        var result = await _executor.ExecuteAsync(schema, new GraphQLRequest("mutation { slow fast }"));

        Assert.Equal("""{"data":{"slow":1,"fast":2}}""", result.ToJson());
        Assert.Equal(["slow starts", "slow ends", "fast"], log);
    }

    [Fact]
    public async Task Cancelling_the_request_stops_execution_with_OperationCanceledException()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var schema = new SchemaBuilder()
            .Query(query => query.Field("wait", "Int", field => field.ResolveAsync(async context =>
            {
                await Task.Delay(TimeSpan.FromSeconds(30), context.CancellationToken);
                return 1;
            })))
            .Build();
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _executor.ExecuteAsync(schema, new GraphQLRequest("{ wait }"), null, cancellation.Token));

        Assert.InRange(clock.ElapsedMilliseconds, 0, 5_000);
    }

    [Fact]
    public async Task Unexpected_exceptions_become_a_generic_error_without_internals()
    {
        var schema = new SchemaBuilder()
            .Query(query => query
                .Field("boom", "String", field => field.Resolve<string>(_ => throw new InvalidOperationException("connection string: secret")))
                .Field("known", "String", field => field.Resolve<string>(_ => throw new GraphQLException("Not here.", "NOT_FOUND"))))
            .Build();

        var json = (await _executor.ExecuteAsync(schema, new GraphQLRequest("{ boom known }"))).ToJson();

        Assert.Equal(
            """{"errors":[{"message":"Unexpected error.","locations":[{"line":1,"column":3}],"path":["boom"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}},""" +
            """{"message":"Not here.","locations":[{"line":1,"column":8}],"path":["known"],"extensions":{"code":"NOT_FOUND"}}],"data":{"boom":null,"known":null}}""",
            json);
        Assert.DoesNotContain("secret", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ x", "GRAPHQL_PARSE_FAILED", "Syntax Error: Expected Name, found <EOF>.")]
    [InlineData("", "BAD_USER_INPUT", "Must provide query string.")]
    [InlineData("query A { x } query B { x }", "OPERATION_RESOLUTION_FAILURE", "Must provide operation name if query contains multiple operations.")]
    [InlineData("mutation { x }", "OPERATION_RESOLUTION_FAILURE", "Schema is not configured to execute mutation operation.")]
    [InlineData("subscription { x }", "OPERATION_RESOLUTION_FAILURE", "Schema is not configured to execute subscription operation.")]
    [InlineData("query ($v: Int!) { x(a: $v) }", "BAD_USER_INPUT", "Variable \"$v\" of required type \"Int!\" was not provided.")]
    [InlineData("{ zzz }", "GRAPHQL_VALIDATION_FAILED", "Cannot query field \"zzz\" on type \"Query\".")]
    public async Task Requests_that_cannot_execute_have_errors_with_codes_and_no_data(string query, string code, string message)
    {
        var schema = new SchemaBuilder().Query(q => q.Field("x", "Int", field => field.Argument("a", "Int"))).Build();

        var result = await _executor.ExecuteAsync(schema, new GraphQLRequest(query));

        Assert.False(result.HasData);
        var error = Assert.Single(result.Errors);
        Assert.Equal((message, code), (error.Message, error.Code));
        Assert.DoesNotContain("\"data\"", result.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Variables_must_be_an_object()
    {
        var schema = new SchemaBuilder().Query(q => q.Field("x", "Int")).Build();

        var result = await _executor.ExecuteAsync(schema, new GraphQLRequest("{ x }", Variables: JsonDocument.Parse("[1]").RootElement));

        Assert.Equal("Variables must be a JSON object.", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public async Task A_schema_with_subscriptions_still_refuses_to_run_them()
    {
        var schema = new SchemaBuilder().Query(q => q.Field("x", "Int")).Subscription(s => s.Field("events", "Int")).Build();

        var result = await _executor.ExecuteAsync(schema, new GraphQLRequest("subscription { events }"));

        Assert.Equal("Subscriptions are not supported by this server; poll with a query instead.", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public async Task The_same_document_is_prepared_once_per_schema()
    {
        var rule = new CountingRule();
        var executor = new GraphQLExecutor(new GraphQLExecutorOptions { Rules = [rule], DocumentCacheSize = 2 });
        var schema = new SchemaBuilder().Query(q => q.Field("x", "Int", field => field.Resolve(_ => 1))).Build();
        var other = new SchemaBuilder().Query(q => q.Field("x", "Int", field => field.Resolve(_ => 2))).Build();

        await executor.ExecuteAsync(schema, new GraphQLRequest("{ x }"));
        await executor.ExecuteAsync(schema, new GraphQLRequest("{ x }"));
        Assert.Equal(1, rule.Documents);

        await executor.ExecuteAsync(other, new GraphQLRequest("{ x }"));
        Assert.Equal(2, rule.Documents);

        await executor.ExecuteAsync(schema, new GraphQLRequest("{ a: x }"));
        await executor.ExecuteAsync(schema, new GraphQLRequest("{ b: x }"));
        await executor.ExecuteAsync(schema, new GraphQLRequest("{ x }"));
        Assert.Equal(5, rule.Documents);
    }

    private sealed class CountingRule : IValidationRule
    {
        public int Documents { get; private set; }

        public AstVisitor CreateVisitor(ValidationContext context)
        {
            Documents++;
            return new NoChecks();
        }

        private sealed class NoChecks : AstVisitor
        {
        }
    }

    private sealed record Track(string Id, string Title, bool SawToken);
}

using System.Diagnostics;
using System.Text;
using MusicSearch.GraphQL.Execution;
using MusicSearch.GraphQL.Types;

namespace MusicSearch.GraphQL.Tests.Execution;

/// <summary>Hostile documents are refused before validation and execution, quickly, with QUERY_TOO_COMPLEX.</summary>
public class LimitsTests
{
    private static readonly Schema Schema = new SchemaBuilder()
        .Query(query => query.Field("node", "Node", field => field.Resolve(_ => new object())))
        .Object<object>("Node", node => node
            .Field("child", "Node", field => field.Resolve(context => context.Parent))
            .Field("value", "Int", field => field.Resolve(_ => 1)))
        .Build();

    private readonly GraphQLExecutor _executor = new();

    private static string Nested(int depth) => "{ " + string.Concat(Enumerable.Repeat("node { ", 1)) +
        string.Concat(Enumerable.Repeat("child { ", depth - 2)) + "value" + new string('}', depth - 1) + " }";

    [Fact]
    public async Task A_query_within_the_depth_limit_runs()
    {
        var result = await _executor.ExecuteAsync(Schema, new GraphQLRequest(Nested(ExecutionLimits.Default.MaxDepth)));

        Assert.Empty(result.Errors);
    }

    [Fact]
    public async Task A_50_level_nested_query_is_refused()
    {
        var result = await _executor.ExecuteAsync(Schema, new GraphQLRequest(Nested(50)));

        var error = Assert.Single(result.Errors);
        Assert.Equal(("The operation nests fields 50 levels deep, more than the limit of 15.", ErrorCodes.QueryTooComplex), (error.Message, error.Code));
        Assert.False(result.HasData);
    }

    [Fact]
    public async Task A_1_MB_query_is_refused_without_being_parsed()
    {
        var query = "{ node { value } }" + new string(' ', 1 << 20);
        var clock = Stopwatch.StartNew();

        var result = await _executor.ExecuteAsync(Schema, new GraphQLRequest(query));

        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCodes.QueryTooComplex, error.Code);
        Assert.StartsWith("The document is 1048594 characters long", error.Message, StringComparison.Ordinal);
        Assert.InRange(clock.ElapsedMilliseconds, 0, 5_000);
    }

    [Fact]
    public async Task A_fragment_bomb_is_measured_without_being_expanded()
    {
        // F0 selects 2 fields, each Fn spreads Fn-1 twice: F40 would expand to 2^41 fields.
        var document = new StringBuilder("{ node { ...F40 } }\nfragment F0 on Node { value child { value } }\n");
        for (var i = 1; i <= 40; i++)
        {
            document.Append($"fragment F{i} on Node {{ ...F{i - 1} child {{ ...F{i - 1} }} }}\n");
        }

        var clock = Stopwatch.StartNew();
        var result = await _executor.ExecuteAsync(Schema, new GraphQLRequest(document.ToString()));

        Assert.Contains(result.Errors, error => error.Code == ErrorCodes.QueryTooComplex && error.Message.Contains("fields once fragments are expanded", StringComparison.Ordinal));
        Assert.InRange(clock.ElapsedMilliseconds, 0, 5_000);
    }

    [Fact]
    public async Task Too_many_fields_in_one_selection_set_are_refused()
    {
        var query = "{ node { " + string.Join(" ", Enumerable.Range(0, 101).Select(i => $"v{i}: value")) + " } }";

        var result = await _executor.ExecuteAsync(Schema, new GraphQLRequest(query));

        Assert.Equal("A selection set selects 101 fields, more than the limit of 100.", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public async Task Too_many_tokens_stop_the_parser()
    {
        var executor = new GraphQLExecutor(new GraphQLExecutorOptions { Limits = ExecutionLimits.Default with { MaxTokens = 10 } });

        var result = await executor.ExecuteAsync(Schema, new GraphQLRequest("{ node { value value value value value value } }"));

        var error = Assert.Single(result.Errors);
        Assert.Equal(("Syntax Error: Document contains more than 10 tokens. Parsing aborted.", ErrorCodes.ParseFailed), (error.Message, error.Code));
    }

    [Fact]
    public async Task A_fragment_cycle_never_reaches_execution()
    {
        var result = await _executor.ExecuteAsync(Schema, new GraphQLRequest("{ node { ...A } } fragment A on Node { child { ...A } }"));

        var error = Assert.Single(result.Errors);
        Assert.Equal("Cannot spread fragment \"A\" within itself.", error.Message);
        Assert.False(result.HasData);
    }

    [Fact]
    public async Task Deep_nesting_within_the_parser_bound_is_refused_by_the_depth_limit_not_a_stack_overflow()
    {
        var result = await _executor.ExecuteAsync(Schema, new GraphQLRequest(Nested(400)));

        Assert.Equal(ErrorCodes.QueryTooComplex, Assert.Single(result.Errors).Code);
    }
}

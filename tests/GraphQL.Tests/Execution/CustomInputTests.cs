using System.Globalization;
using System.Text.Json;
using MusicSearch.GraphQL.Execution;
using MusicSearch.GraphQL.Types;

namespace MusicSearch.GraphQL.Tests.Execution;

/// <summary>Custom scalars and input objects that become CLR values: their failures are the client's errors, not the server's.</summary>
public class CustomInputTests
{
    private int _creations;

    private Schema BuildSchema() => new SchemaBuilder()
        .Query(query => query
            .Field("day", "String", field => field
                .Argument("date", "Date!")
                .Resolve(context => context.Argument<DateOnly>("date").DayOfWeek.ToString()))
            .Field("range", "Int", field => field
                .Argument("span", "Span!")
                .Resolve(context => context.Argument<Span>("span").Length))
            .Field("today", "Date", field => field.Resolve(_ => new DateOnly(2026, 11, 22))))
        .Scalar("Date", scalar => scalar
            .Description("A calendar date, YYYY-MM-DD.")
            .Serialize(value => ((DateOnly)value).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
            .ParseValue(value => DateOnly.ParseExact((string)value, "yyyy-MM-dd", CultureInfo.InvariantCulture)))
        .InputObject("Span", span => span
            .Field("from", "Int!")
            .Field("to", "Int!")
            .Create(fields =>
            {
                _creations++;
                var (from, to) = ((int)fields["from"]!, (int)fields["to"]!);
                return to < from ? throw new GraphQLException("\"to\" must not come before \"from\".") : new Span(from, to);
            }))
        .Build();

    private async Task<ExecutionResult> Run(string query, string variables) =>
        await new GraphQLExecutor().ExecuteAsync(BuildSchema(), new GraphQLRequest(query, Variables: JsonDocument.Parse(variables).RootElement));

    [Fact]
    public async Task A_custom_scalar_parses_literals_and_variables_and_serializes()
    {
        var result = await Run("query ($d: Date!) { a: day(date: \"2026-11-22\") b: day(date: $d) today }", """{"d": "2026-11-23"}""");

        Assert.Equal("""{"data":{"a":"Sunday","b":"Monday","today":"2026-11-22"}}""", result.ToJson());
    }

    [Fact]
    public async Task A_custom_scalar_that_cannot_parse_a_variable_is_a_bad_input_error()
    {
        var result = await Run("query ($d: Date!) { day(date: $d) }", """{"d": "22/11/2026"}""");

        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCodes.BadUserInput, error.Code);
        Assert.StartsWith("Variable \"$d\" got invalid value \"22/11/2026\"; Expected type \"Date\". ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_input_object_becomes_a_record_and_its_own_checks_reach_the_client()
    {
        var ok = await Run("query ($s: Span!) { range(span: $s) }", """{"s": {"from": 2, "to": 5}}""");
        var refused = await Run("query ($s: Span!) { range(span: $s) }", """{"s": {"from": 5, "to": 2}}""");

        Assert.Equal("""{"data":{"range":3}}""", ok.ToJson());
        Assert.Equal("Variable \"$s\" got invalid value { from: 5, to: 2 }; \"to\" must not come before \"from\".", Assert.Single(refused.Errors).Message);
    }

    [Fact]
    public async Task An_invalid_input_object_is_never_handed_to_Create()
    {
        var result = await Run("query ($s: Span!) { range(span: $s) }", """{"s": {"from": 2}}""");

        Assert.Equal("Variable \"$s\" got invalid value { from: 2 }; Field \"to\" of required type \"Int!\" was not provided.", Assert.Single(result.Errors).Message);
        Assert.Equal(0, _creations);
    }

    private sealed record Span(int From, int To)
    {
        public int Length => To - From;
    }
}

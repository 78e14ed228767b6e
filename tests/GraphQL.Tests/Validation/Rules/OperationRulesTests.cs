using MusicSearch.GraphQL.Validation.Rules;

namespace MusicSearch.GraphQL.Tests.Validation.Rules;

/// <summary>ExecutableDefinitions, UniqueOperationNames, LoneAnonymousOperation and SingleFieldSubscriptions.</summary>
public class OperationRulesTests
{
    [Theory]
    [InlineData("query Q { flag } fragment F on Dog { name }")]
    [InlineData("{ flag }")]
    public void Operations_and_fragments_are_executable(string document) =>
        Assert.Empty(RuleErrors.Of<ExecutableDefinitionsRule>(document));

    [Theory]
    [InlineData("{ flag }\ntype Extra { a: Int }", "The \"Extra\" definition is not executable. (2:1)")]
    [InlineData("schema { query: Query } { flag }", "The schema definition is not executable. (1:1)")]
    [InlineData("{ flag } extend schema @onObject", "The schema definition is not executable. (1:10)")]
    [InlineData("{ flag } directive @d on FIELD", "The \"d\" definition is not executable. (1:10)")]
    [InlineData("{ flag } extend input PersonFilter { x: Int }", "The \"PersonFilter\" definition is not executable. (1:10)")]
    public void Type_system_definitions_are_not_executable(string document, string expected) =>
        Assert.Equal([expected], RuleErrors.Of<ExecutableDefinitionsRule>(document));

    [Fact]
    public void Operation_names_are_unique_across_operation_types()
    {
        Assert.Empty(RuleErrors.Of<UniqueOperationNamesRule>("query A { flag } query B { flag } fragment A on Dog { name }"));
        Assert.Equal(
            [
                "There can be only one operation named \"A\". (1:7, 1:27)",
                "There can be only one operation named \"A\". (1:7, 1:53)",
            ],
            RuleErrors.Of<UniqueOperationNamesRule>("query A { flag } mutation A { forget(id: 1) } query A { flag }"));
    }

    [Fact]
    public void An_anonymous_operation_must_be_alone()
    {
        Assert.Empty(RuleErrors.Of<LoneAnonymousOperationRule>("{ flag } fragment F on Dog { name }"));
        Assert.Empty(RuleErrors.Of<LoneAnonymousOperationRule>("query A { flag } query B { flag }"));
        Assert.Equal(
            ["This anonymous operation must be the only defined operation. (1:1)"],
            RuleErrors.Of<LoneAnonymousOperationRule>("{ flag } query B { flag }"));
        Assert.Equal(2, RuleErrors.Of<LoneAnonymousOperationRule>("{ flag } mutation { forget(id: 1) }").Count);
    }

    [Theory]
    [InlineData("subscription { ticks }")]
    [InlineData("subscription { ticks ticks }")]
    [InlineData("subscription { ...R } fragment R on Subscription { ticks ...R }")]
    [InlineData("subscription { ticks skipped: ticks @skip(if: true) other: ticks @include(if: false) }")]
    [InlineData("subscription { ... on Query { flag } ticks }")]
    [InlineData("query { flag cat { lives } }")]
    public void A_subscription_selects_one_root_field(string document) =>
        Assert.Empty(RuleErrors.Of<SingleFieldSubscriptionsRule>(document));

    [Theory]
    [InlineData("subscription S { ticks personChanged(id: 1) { name } }", "Subscription \"S\" must select only one top level field. (1:24)")]
    [InlineData("subscription { ticks ...F } fragment F on Subscription { a: ticks b: ticks }",
        "Anonymous Subscription must select only one top level field. (1:58, 1:67)")]
    [InlineData("subscription S { __typename }", "Subscription \"S\" must not select an introspection top level field. (1:18)")]
    [InlineData("subscription { ... on Subscription { ticks t: ticks @include(if: true) } }",
        "Anonymous Subscription must select only one top level field. (1:44)")]
    public void A_subscription_with_more_or_introspection_root_fields_is_refused(string document, string expected) =>
        Assert.Equal([expected], RuleErrors.Of<SingleFieldSubscriptionsRule>(document));

    [Theory]
    [InlineData("subscription ($s: Boolean!) { ticks @skip(if: $s) }",
        "Argument \"if\" of required type \"Boolean!\" was provided the variable \"$s\" which was not provided a runtime value. (1:47)")]
    [InlineData("subscription { ticks @include }", "Argument \"if\" of required type \"Boolean!\" was not provided. (1:22)")]
    [InlineData("subscription { ticks @skip(if: null) }", "Argument \"if\" of non-null type \"Boolean!\" must not be null. (1:32)")]
    [InlineData("subscription { ticks @skip(if: \"yes\") }", "Argument \"if\" has invalid value \"yes\". (1:32)")]
    public void Root_field_conditions_that_need_variables_end_validation_with_graphql_js_error(string document, string expected) =>
        Assert.Equal([expected], ValidationCorpus.Validate(document));
}

using MusicSearch.GraphQL.Validation.Rules;

namespace MusicSearch.GraphQL.Tests.Validation.Rules;

/// <summary>KnownArgumentNames, UniqueArgumentNames and ProvidedRequiredArguments.</summary>
public class ArgumentRulesTests
{
    [Fact]
    public void Known_arguments_pass()
    {
        Assert.Empty(RuleErrors.Of<KnownArgumentNamesRule>(
            "{ dog(id: 1) { name(upper: true) knows(command: SIT) @cached(seconds: 1, scope: \"x\") } flag @include(if: true) __type(name: \"Dog\") { name } }"));
    }

    [Theory]
    [InlineData("{ dog(idd: 1) { name } }", "Unknown argument \"idd\" on field \"Query.dog\". Did you mean \"id\"? (1:7)")]
    [InlineData("{ cat { name(lower: true) } }", "Unknown argument \"lower\" on field \"Cat.name\". Did you mean \"upper\"? (1:14)")]
    [InlineData("{ flag(x: 1) }", "Unknown argument \"x\" on field \"Query.flag\". (1:8)")]
    [InlineData("{ flag @skip(iff: true, if: true) }", "Unknown argument \"iff\" on directive \"@skip\". Did you mean \"if\"? (1:14)")]
    [InlineData("{ dog { name @cached(second: 1, seconds: 1) } }",
        "Unknown argument \"second\" on directive \"@cached\". Did you mean \"seconds\" or \"scope\"? (1:22)")]
    public void Unknown_arguments_are_reported_with_suggestions(string document, string expected) =>
        Assert.Equal([expected], RuleErrors.Of<KnownArgumentNamesRule>(document));

    [Fact]
    public void Arguments_of_unknown_fields_and_directives_are_left_to_other_rules() =>
        Assert.Empty(RuleErrors.Of<KnownArgumentNamesRule>("{ nothing(a: 1) dog { name @unknown(b: 2) } }"));

    [Fact]
    public void Arguments_are_given_once()
    {
        Assert.Empty(RuleErrors.Of<UniqueArgumentNamesRule>("{ echo(text: \"a\", count: 1) flag @include(if: true) }"));
        Assert.Equal(
            [
                "There can be only one argument named \"text\". (1:8, 1:19, 1:40)",
                "There can be only one argument named \"if\". (1:65, 1:75)",
            ],
            RuleErrors.Of<UniqueArgumentNamesRule>("{ echo(text: \"a\", text: \"b\", count: 1, text: \"c\") flag @include(if: true, if: false) }"));
    }

    [Fact]
    public void Required_arguments_are_given()
    {
        Assert.Empty(RuleErrors.Of<ProvidedRequiredArgumentsRule>("{ required(count: 1) dog { friends { legs } } flag @skip(if: false) }"));
        Assert.Equal(
            [
                "Field \"required\" argument \"count\" of type \"Int!\" is required, but it was not provided. (1:3)",
                "Directive \"@cached\" argument \"seconds\" of type \"Int!\" is required, but it was not provided. (1:35)",
                "Directive \"@include\" argument \"if\" of type \"Boolean!\" is required, but it was not provided. (1:50)",
            ],
            RuleErrors.Of<ProvidedRequiredArgumentsRule>("{ required(label: \"a\") dog { name @cached } flag @include }"));
    }

    [Fact]
    public void Required_arguments_are_reported_after_errors_inside_the_field()
    {
        Assert.Equal(
            [
                "Field \"knows\" argument \"command\" of type \"Command!\" is required, but it was not provided. (1:23)",
                "Field \"node\" argument \"id\" of type \"ID!\" is required, but it was not provided. (1:3)",
            ],
            RuleErrors.Of<ProvidedRequiredArgumentsRule>("{ node { ... on Dog { knows } } }"));
    }
}

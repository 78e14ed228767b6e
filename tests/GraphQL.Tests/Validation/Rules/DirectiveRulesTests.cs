using MusicSearch.GraphQL.Validation.Rules;

namespace MusicSearch.GraphQL.Tests.Validation.Rules;

/// <summary>KnownDirectives and UniqueDirectivesPerLocation.</summary>
public class DirectiveRulesTests
{
    [Fact]
    public void Directives_are_known_and_used_where_they_are_allowed()
    {
        Assert.Empty(RuleErrors.Of<KnownDirectivesRule>("""
            query Q($v: Int @onVariable) @onQuery { dog @include(if: true) { ...F @tag(name: "s") ... on Dog @onFragment { name } } }
            mutation M @onMutation { forget(id: 1) }
            subscription S @tag(name: "t") { ticks }
            fragment F on Dog @onFragment { legs }
            """));
    }

    [Theory]
    [InlineData("{ flag @unknown }", "Unknown directive \"@unknown\". (1:8)")]
    [InlineData("query @onMutation { flag }", "Directive \"@onMutation\" may not be used on QUERY. (1:7)")]
    [InlineData("mutation @onQuery { forget(id: 1) }", "Directive \"@onQuery\" may not be used on MUTATION. (1:10)")]
    [InlineData("subscription @onQuery { ticks }", "Directive \"@onQuery\" may not be used on SUBSCRIPTION. (1:14)")]
    [InlineData("{ dog @onQuery { name } }", "Directive \"@onQuery\" may not be used on FIELD. (1:7)")]
    [InlineData("query ($v: Int @onQuery) @onQuery { flag }", "Directive \"@onQuery\" may not be used on VARIABLE_DEFINITION. (1:16)")]
    [InlineData("{ dog { ...F @onFragment } }", "Directive \"@onFragment\" may not be used on FRAGMENT_SPREAD. (1:14)")]
    [InlineData("{ dog { ... @skip(if: true) @onQuery { name } } }", "Directive \"@onQuery\" may not be used on INLINE_FRAGMENT. (1:29)")]
    [InlineData("fragment F on Dog @skip(if: true) { name }", "Directive \"@skip\" may not be used on FRAGMENT_DEFINITION. (1:19)")]
    [InlineData("{ flag @deprecated }", "Directive \"@deprecated\" may not be used on FIELD. (1:8)")]
    public void Unknown_and_misplaced_directives_are_reported(string document, string expected) =>
        Assert.Equal([expected], RuleErrors.Of<KnownDirectivesRule>(document));

    [Fact]
    public void A_directive_defined_by_the_document_is_known_as_graphql_js_treats_it()
    {
        Assert.Empty(RuleErrors.Of<KnownDirectivesRule>("directive @local on FIELD { flag @local }"));
        Assert.Empty(RuleErrors.Of<UniqueDirectivesPerLocationRule>("directive @tag(name: String) on FIELD { flag @tag(name: \"a\") }"));
        Assert.Single(RuleErrors.Of<UniqueDirectivesPerLocationRule>("directive @tag(name: String) on FIELD { flag @tag(name: \"a\") @tag(name: \"b\") }"));
    }

    [Fact]
    public void Non_repeatable_directives_appear_once_per_location()
    {
        Assert.Empty(RuleErrors.Of<UniqueDirectivesPerLocationRule>(
            "query @onQuery { dog @tag(name: \"a\") @tag(name: \"b\") @skip(if: false) { name @skip(if: false) } flag @skip(if: false) }"));
        Assert.Equal(
            [
                "The directive \"@skip\" can only be used once at this location. (1:8, 1:24)",
                "The directive \"@skip\" can only be used once at this location. (1:8, 1:41)",
                "The directive \"@onVariable\" can only be used once at this location. (1:74, 1:86)",
            ],
            RuleErrors.Of<UniqueDirectivesPerLocationRule>(
                "{ flag @skip(if: true) @skip(if: false) @skip(if: true) } query ($v: Int @onVariable @onVariable) { echo(count: $v) }"));
    }
}

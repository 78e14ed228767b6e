using MusicSearch.GraphQL.Validation.Rules;

namespace MusicSearch.GraphQL.Tests.Validation.Rules;

/// <summary>
/// KnownTypeNames, FragmentsOnCompositeTypes, UniqueFragmentNames, KnownFragmentNames, NoUnusedFragments,
/// PossibleFragmentSpreads and NoFragmentCycles.
/// </summary>
public class FragmentRulesTests
{
    [Fact]
    public void Type_names_must_exist_and_misspellings_get_suggestions()
    {
        Assert.Empty(RuleErrors.Of<KnownTypeNamesRule>("query ($f: [PersonFilter!], $d: Date) { pet { ... on Dog { name } } } fragment F on __Type { name }"));
        Assert.Equal(
            [
                "Unknown type \"PersonFiltr\". Did you mean \"PersonFilter\", \"Person\", or \"PetFilter\"? (1:13)",
                "Unknown type \"Dgo\". Did you mean \"Dog\"? (1:43)",
                "Unknown type \"Nothing\". Did you mean \"String\"? (1:74)",
            ],
            RuleErrors.Of<KnownTypeNamesRule>("query ($f: [PersonFiltr!]) { pet { ... on Dgo { name } } } fragment F on Nothing { a }"));
    }

    [Fact]
    public void Fragments_condition_on_composite_types_only()
    {
        Assert.Empty(RuleErrors.Of<FragmentsOnCompositeTypesRule>(
            "{ pet { ... on Creature { legs } ... { __typename } } } fragment F on Pet { __typename } fragment G on Unknown { a }"));
        Assert.Equal(
            [
                "Fragment cannot condition on non composite type \"Boolean\". (1:16)",
                "Fragment \"F\" cannot condition on non composite type \"PersonFilter\". (1:51)",
            ],
            RuleErrors.Of<FragmentsOnCompositeTypesRule>("{ dog { ... on Boolean { name } } } fragment F on PersonFilter { a }"));
    }

    [Fact]
    public void Fragment_names_are_unique()
    {
        Assert.Equal(
            ["There can be only one fragment named \"A\". (1:10, 1:37)"],
            RuleErrors.Of<UniqueFragmentNamesRule>("fragment A on Dog { name } fragment A on Dog { legs } fragment B on Dog { legs }"));
    }

    [Fact]
    public void Spread_fragments_must_exist()
    {
        Assert.Empty(RuleErrors.Of<KnownFragmentNamesRule>("{ dog { ...A } } fragment A on Dog { ... on Dog { ...A } }"));
        Assert.Equal(
            ["Unknown fragment \"B\". (1:17)", "Unknown fragment \"C\". (1:51)"],
            RuleErrors.Of<KnownFragmentNamesRule>("{ dog { ...A ...B } } fragment A on Dog { name ...C }"));
    }

    [Fact]
    public void Every_fragment_is_used_by_some_operation()
    {
        Assert.Empty(RuleErrors.Of<NoUnusedFragmentsRule>("query A { dog { ...A } } query B { cat { ...C } } fragment A on Dog { ...B } fragment B on Dog { name } fragment C on Cat { lives }"));
        Assert.Equal(
            ["Fragment \"B\" is never used. (1:45)", "Fragment \"C\" is never used. (1:72)"],
            RuleErrors.Of<NoUnusedFragmentsRule>("{ dog { ...A } } fragment A on Dog { name } fragment B on Dog { ...C } fragment C on Dog { ...B }"));
    }

    [Theory]
    [InlineData("{ pet { ... on Dog { barks } ... on Creature { legs } } }")]
    [InlineData("{ creature { ... on Pet { __typename } } }")]
    [InlineData("{ named { ...P } } fragment P on Person { age }")]
    [InlineData("{ search(text: \"a\") { ... on Node { id } } }")]
    [InlineData("{ dog { ... on Creature { ... on Named { name } } } }")]
    public void Fragments_may_be_spread_where_types_overlap(string document) =>
        Assert.Empty(RuleErrors.Of<PossibleFragmentSpreadsRule>(document));

    [Theory]
    [InlineData("{ dog { ... on Cat { lives } } }", "Fragment cannot be spread here as objects of type \"Dog\" can never be of type \"Cat\". (1:9)")]
    [InlineData("{ pet { ... on Person { age } } }", "Fragment cannot be spread here as objects of type \"Pet\" can never be of type \"Person\". (1:9)")]
    [InlineData("{ person { favourite { ...P } } } fragment P on Person { age }",
        "Fragment \"P\" cannot be spread here as objects of type \"Creature\" can never be of type \"Person\". (1:24)")]
    public void Fragments_may_not_be_spread_where_types_never_overlap(string document, string expected) =>
        Assert.Equal([expected], RuleErrors.Of<PossibleFragmentSpreadsRule>(document));

    [Fact]
    public void Fragment_cycles_are_reported_with_the_spreads_forming_them()
    {
        Assert.Empty(RuleErrors.Of<NoFragmentCyclesRule>("fragment A on Dog { ...B ...B mother { ...B } } fragment B on Dog { name }"));
        Assert.Equal(
            [
                "Cannot spread fragment \"A\" within itself via \"B\", \"C\". (1:21, 1:48, 1:75)",
                "Cannot spread fragment \"D\" within itself. (1:102)",
            ],
            RuleErrors.Of<NoFragmentCyclesRule>(
                "fragment A on Dog { ...B } fragment B on Dog { ...C } fragment C on Dog { ...A } fragment D on Dog { ...D ...A }"));
    }
}

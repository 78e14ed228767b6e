using MusicSearch.GraphQL.Validation.Rules;

namespace MusicSearch.GraphQL.Tests.Validation.Rules;

/// <summary>UniqueVariableNames, VariablesAreInputTypes, NoUndefinedVariables, NoUnusedVariables and VariablesInAllowedPosition.</summary>
public class VariableRulesTests
{
    [Fact]
    public void Variable_names_are_unique_per_operation()
    {
        Assert.Empty(RuleErrors.Of<UniqueVariableNamesRule>("query A($x: Int) { flag } query B($x: Int) { flag }"));
        Assert.Equal(
            ["There can be only one variable named \"$x\". (1:9, 1:27, 1:45)", "There can be only one variable named \"$y\". (1:18, 1:36)"],
            RuleErrors.Of<UniqueVariableNamesRule>("query ($x: Int, $y: Int, $x: Int, $y: Int, $x: ID) { flag }"));
    }

    [Fact]
    public void Variables_have_input_types()
    {
        Assert.Empty(RuleErrors.Of<VariablesAreInputTypesRule>("query ($a: [Kind!]!, $b: PersonFilter, $c: Date, $d: Unknown) { flag }"));
        Assert.Equal(
            ["Variable \"$d\" cannot be non-input type \"[Dog!]\". (1:12)", "Variable \"$p\" cannot be non-input type \"Pet\". (1:24)"],
            RuleErrors.Of<VariablesAreInputTypesRule>("query ($d: [Dog!], $p: Pet) { flag }"));
    }

    [Fact]
    public void Variables_used_are_defined_by_the_operation_also_through_fragments()
    {
        Assert.Empty(RuleErrors.Of<NoUndefinedVariablesRule>("query Q($n: Int) { dog { ...F } } fragment F on Dog { friends(first: $n) { legs } }"));
        Assert.Equal(
            [
                "Variable \"$t\" is not defined. (1:14, 1:1)",
            ],
            RuleErrors.Of<NoUndefinedVariablesRule>("{ echo(text: $t) }"));
        Assert.Equal(
            [
                "Variable \"$n\" is not defined by operation \"B\". (1:87, 1:27)",
            ],
            RuleErrors.Of<NoUndefinedVariablesRule>("query A($n: Int) { flag } query B { dog { ...F } } fragment F on Dog { friends(first: $n) { legs } } query C($n: Int) { dog { ...F } }"));
    }

    [Fact]
    public void Variables_defined_are_used_by_the_operation_also_through_fragments()
    {
        Assert.Empty(RuleErrors.Of<NoUnusedVariablesRule>("query Q($n: Int, $b: Boolean!) { dog @skip(if: $b) { ...F } } fragment F on Dog { friends(first: $n) { legs } }"));
        Assert.Equal(
            ["Variable \"$b\" is never used in operation \"Q\". (1:18)", "Variable \"$u\" is never used. (1:54)"],
            RuleErrors.Of<NoUnusedVariablesRule>("query Q($a: Int, $b: Int) { echo(count: $a) } query ($u: String) { flag }"));
    }

    [Theory]
    [InlineData("query ($b: Boolean!) { flag @skip(if: $b) }")]
    [InlineData("query ($c: Int = 3) { required(count: $c) }")]
    [InlineData("query ($l: String) { required(count: 1, label: $l) }")]
    [InlineData("query ($id: ID!) { pet(id: $id) { __typename } }")]
    [InlineData("query ($k: [Kind!]) { search(text: \"a\", kinds: $k) { __typename } }")]
    [InlineData("query ($d: ID!) { byKey(key: {dogId: $d}) { __typename } }")]
    [InlineData("query ($x: Float) { numbers(values: [1], matrix: [[$x]]) }")]
    [InlineData("query ($x: Unknown) { echo(text: $x) }")]
    [InlineData("query ($f: Int) { people(filter: {minAge: $f}) { id } }")]
    public void Variables_fit_the_positions_they_are_used_in(string document) =>
        Assert.Empty(RuleErrors.Of<VariablesInAllowedPositionRule>(document));

    [Theory]
    [InlineData("query ($b: Boolean) { flag @include(if: $b) }",
        "Variable \"$b\" of type \"Boolean\" used in position expecting type \"Boolean!\". (1:8, 1:41)")]
    [InlineData("query ($c: Int = null) { required(count: $c) }",
        "Variable \"$c\" of type \"Int\" used in position expecting type \"Int!\". (1:8, 1:42)")]
    [InlineData("query ($k: [Kind]) { search(text: \"a\", kinds: $k) { __typename } }",
        "Variable \"$k\" of type \"[Kind]\" used in position expecting type \"[Kind!]\". (1:8, 1:47)")]
    [InlineData("query ($i: Int) { echo(ratio: $i) }",
        "Variable \"$i\" of type \"Int\" used in position expecting type \"Float\". (1:8, 1:31)")]
    [InlineData("query ($d: ID) { byKey(key: {dogId: $d}) { __typename } }",
        "Variable \"$d\" is of type \"ID\" but must be non-nullable to be used for OneOf Input Object \"PetKey\". (1:8, 1:37)")]
    public void Variables_that_do_not_fit_are_reported_at_definition_and_use(string document, string expected) =>
        Assert.Equal([expected], RuleErrors.Of<VariablesInAllowedPositionRule>(document));

    [Fact]
    public void A_variable_is_checked_at_every_use_through_fragments()
    {
        Assert.Equal(
            [
                "Variable \"$s\" of type \"String\" used in position expecting type \"Int\". (1:9, 1:88)",
                "Variable \"$s\" of type \"String\" used in position expecting type \"Int\". (1:9, 1:125)",
            ],
            RuleErrors.Of<VariablesInAllowedPositionRule>(
                "query Q($s: String) { echo(text: $s) dog { ...F } } fragment F on Dog { friends(first: $s) { legs } mother { friends(first: $s) { legs } } }"));
    }
}

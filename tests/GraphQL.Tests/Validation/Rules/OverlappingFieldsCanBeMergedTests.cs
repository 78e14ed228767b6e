using MusicSearch.GraphQL.Validation.Rules;

namespace MusicSearch.GraphQL.Tests.Validation.Rules;

/// <summary>OverlappingFieldsCanBeMerged: SameResponseShape and FieldsInSetCanMerge through fields, inline fragments and fragments.</summary>
public class OverlappingFieldsCanBeMergedTests
{
    private const string Advice = "Use different aliases on the fields to fetch both if this was intentional.";

    [Theory]
    [InlineData("{ dog { name name n: name n: name } }")]
    [InlineData("{ dog { name(upper: true) name(upper: true) } }")]
    [InlineData("query ($u: Boolean) { dog { name(upper: $u) ...F } } fragment F on Dog { name(upper: $u) }")]
    [InlineData("{ people(filter: {minAge: 1, nameContains: \"a\"}) { id } people(filter: {nameContains: \"a\", minAge: 1}) { id } }")]
    [InlineData("{ pet { ... on Dog { x: barks name(upper: true) } ... on Cat { x: meows name } } }")]
    [InlineData("{ dog { owner { name } ...O } } fragment O on Dog { owner { age name } }")]
    [InlineData("{ dog { ...A ...A ...B } } fragment A on Dog { ...B name } fragment B on Dog { ...A name }")]
    [InlineData("{ nothing { a } nothing { b: a } unknown: dog { name } }")]
    public void Fields_that_merge_pass(string document) =>
        Assert.Empty(RuleErrors.Of<OverlappingFieldsCanBeMergedRule>(document));

    [Theory]
    [InlineData("{ dog { x: name x: barks } }", "Fields \"x\" conflict because \"name\" and \"barks\" are different fields. " + Advice + " (1:9, 1:17)")]
    [InlineData("{ dog { name name(upper: false) } }", "Fields \"name\" conflict because they have differing arguments. " + Advice + " (1:9, 1:14)")]
    [InlineData("{ creature { ... on Dog { name(upper: true) } name } }",
        "Fields \"name\" conflict because they have differing arguments. " + Advice + " (1:27, 1:47)")]
    [InlineData("{ pet { ... on Dog { volume } ... on Cat { volume } } }",
        "Fields \"volume\" conflict because they return conflicting types \"Int\" and \"Float\". " + Advice + " (1:22, 1:44)")]
    [InlineData("{ pet { ... on Dog { tags } ... on Cat { tags } } }",
        "Fields \"tags\" conflict because they return conflicting types \"[String!]\" and \"[String]\". " + Advice + " (1:22, 1:42)")]
    [InlineData("{ dog { x: barks ...A } } fragment A on Dog { x: name }",
        "Fields \"x\" conflict because \"barks\" and \"name\" are different fields. " + Advice + " (1:9, 1:47)")]
    [InlineData("{ dog { ...A ...B } } fragment A on Dog { x: name } fragment B on Dog { x: legs }",
        "Fields \"x\" conflict because \"name\" and \"legs\" are different fields. " + Advice + " (1:43, 1:73)")]
    [InlineData("{ dog { ... on Dog { x: name x: legs } } }",
        "Fields \"x\" conflict because \"name\" and \"legs\" are different fields. " + Advice + " (1:22, 1:30)")]
    [InlineData("{ echo(text: \"a\") echo(text: \"\"\"a\"\"\") }", "Fields \"echo\" conflict because they have differing arguments. " + Advice + " (1:3, 1:19)")]
    public void Fields_that_cannot_merge_are_reported(string document, string expected) =>
        Assert.Equal([expected], RuleErrors.Of<OverlappingFieldsCanBeMergedRule>(document));

    [Fact]
    public void Sub_field_conflicts_fold_into_their_parents_with_every_location()
    {
        Assert.Equal(
            [
                "Fields \"owner\" conflict because subfields \"a\" conflict because \"name\" and \"age\" are different fields and " +
                "subfields \"b\" conflict because \"age\" and \"name\" are different fields. " + Advice + " (1:9, 1:17, 1:25, 1:34, 1:42, 1:49)",
            ],
            RuleErrors.Of<OverlappingFieldsCanBeMergedRule>("{ dog { owner { a: name b: age } owner { a: age b: name } } }"));
    }

    [Fact]
    public void A_conflict_is_reported_once_where_its_selection_set_is_walked()
    {
        Assert.Equal(
            ["Fields \"x\" conflict because \"name\" and \"legs\" are different fields. " + Advice + " (1:38, 1:46)"],
            RuleErrors.Of<OverlappingFieldsCanBeMergedRule>("{ dog { ...F } } fragment F on Dog { x: name x: legs }"));
    }

    [Fact]
    public void Long_response_names_and_many_locations_are_cut_short()
    {
        var alias = new string('a', 1200);
        var pairs = string.Concat(Enumerable.Range(0, 30).Select(i => $"f{i}: name "));
        var others = string.Concat(Enumerable.Range(0, 30).Select(i => $"f{i}: legs "));

        var errors = RuleErrors.Of<OverlappingFieldsCanBeMergedRule>($"{{ {alias}: dog {{ {pairs} }} {alias}: dog {{ {others} }} }}");

        var error = Assert.Single(errors);
        Assert.StartsWith($"Fields \"{new string('a', 1000)}...\" conflict because subfields \"f0\" conflict", error, StringComparison.Ordinal);
        Assert.Contains("are different fields and subfields \"f1", error, StringComparison.Ordinal);
        Assert.Contains(".... " + Advice, error, StringComparison.Ordinal);
        Assert.Equal(40, error[(error.LastIndexOf('(') + 1)..^1].Split(", ").Length);
    }
}

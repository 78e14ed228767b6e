using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Types;
using MusicSearch.GraphQL.Validation;
using MusicSearch.GraphQL.Validation.Rules;

namespace MusicSearch.GraphQL.Tests.Validation.Rules;

/// <summary>ValuesOfCorrectType and UniqueInputFieldNames.</summary>
public class ValueRulesTests
{
    [Theory]
    [InlineData("{ echo(text: \"a\", when: \"2024-02-29\", flag: false, ratio: 1, count: -3, id: 7, kind: DOG, command: FETCH) }")]
    [InlineData("{ numbers(values: 1, matrix: [[1.5, 2], null, 3]) }")]
    [InlineData("{ people(filter: {nameContains: \"a\", kinds: DOG, or: [{minAge: 1}]}) { id } }")]
    [InlineData("{ complex(input: {required: true}) byKey(key: {catId: 4}) { __typename } }")]
    [InlineData("query ($v: Int, $f: PersonFilter = {minAge: 2, kinds: [CAT]}) { echo(count: $v) people(filter: $f) { id } }")]
    [InlineData("{ echo(nope: 1, text: $undefined) unknown(x: {y: 1}) }")]
    public void Values_of_the_expected_types_pass(string document) =>
        Assert.Empty(RuleErrors.Of<ValuesOfCorrectTypeRule>(document));

    [Theory]
    [InlineData("{ echo(count: \"1\") }", "Int cannot represent non-integer value: \"1\" (1:15)")]
    [InlineData("{ echo(count: 3000000000) }", "Int cannot represent non 32-bit signed integer value: 3000000000 (1:15)")]
    [InlineData("{ echo(text: 1) }", "String cannot represent a non string value: 1 (1:14)")]
    [InlineData("{ echo(flag: ENUM) }", "Boolean cannot represent a non boolean value: ENUM (1:14)")]
    [InlineData("{ echo(id: 1.5) }", "ID cannot represent a non-string and non-integer value: 1.5 (1:12)")]
    [InlineData("{ echo(kind: \"DOG\") }", "Enum \"Kind\" cannot represent non-enum value: \"DOG\". Did you mean the enum value \"DOG\"? (1:14)")]
    [InlineData("{ echo(kind: CATS) }", "Value \"CATS\" does not exist in \"Kind\" enum. Did you mean the enum value \"CAT\"? (1:14)")]
    [InlineData("{ dog { knows(command: null) } }", "Expected value of type \"Command!\", found null. (1:24)")]
    [InlineData("{ numbers(values: [1, null]) }", "Expected value of type \"Int!\", found null. (1:23)")]
    [InlineData("{ people(filter: \"x\") { id } }", "Expected value of type \"PersonFilter\", found \"x\". (1:18)")]
    [InlineData("{ people(filter: [{minAge: 1}]) { id } }", "Expected value of type \"PersonFilter\", found [{minAge: 1}]. (1:18)")]
    [InlineData("{ echo(text: {a: 1}) }", "String cannot represent a non string value: {a: 1} (1:14)")]
    [InlineData("{ people(filter: {nameContain: \"a\"}) { id } }", "Field \"nameContain\" is not defined by type \"PersonFilter\". Did you mean \"nameContains\"? (1:19)")]
    [InlineData("{ adoptable(filter: {minLegs: 4}) { __typename } }", "Field \"PetFilter.kind\" of required type \"Kind!\" was not provided. (1:21)")]
    [InlineData("{ byKey(key: {dogId: 1, catId: 2}) { __typename } }", "OneOf Input Object \"PetKey\" must specify exactly one key. (1:14)")]
    [InlineData("{ byKey(key: {catId: null}) { __typename } }", "Field \"PetKey.catId\" must be non-null. (1:14)")]
    [InlineData("query ($d: Int = 1.5) { echo(count: $d) }", "Int cannot represent non-integer value: 1.5 (1:18)")]
    public void Values_of_other_types_are_reported_with_the_type_s_own_message(string document, string expected) =>
        Assert.Equal([expected], RuleErrors.Of<ValuesOfCorrectTypeRule>(document));

    [Fact]
    public void Custom_scalar_literals_are_checked_by_the_scalar()
    {
        Assert.Empty(RuleErrors.Of<ValuesOfCorrectTypeRule>("{ echo(when: \"2024-02-29\") }"));
        Assert.Equal(
            ["Date cannot represent \"2023-02-29\": expected yyyy-MM-dd. (1:14)", "Date cannot represent 5: expected yyyy-MM-dd. (1:55)"],
            RuleErrors.Of<ValuesOfCorrectTypeRule>("{ echo(when: \"2023-02-29\") people(filter: {bornAfter: 5}) { id } }"));
    }

    [Fact]
    public void A_custom_scalar_failing_unexpectedly_makes_the_literal_invalid()
    {
        var schema = new SchemaBuilder()
            .Query(query => query.Field("at", "String", field => field.Argument("when", "Moment")))
            .Scalar("Moment", scalar => scalar.ParseLiteral(_ => throw new FormatException("not a moment")))
            .Build();

        var errors = DocumentValidator.Validate(schema, Parser.Parse("{ at(when: 12) }"), [new ValuesOfCorrectTypeRule()]);

        Assert.Equal(["Expected value of type \"Moment\", found 12; not a moment (1:12)"], errors.Select(error => error.ToString()));
    }

    [Fact]
    public void Input_object_fields_are_given_once_per_object()
    {
        Assert.Empty(RuleErrors.Of<UniqueInputFieldNamesRule>("{ people(filter: {minAge: 1, or: [{minAge: 2}, {minAge: 3, or: {minAge: 4}}]}) { id } }"));
        Assert.Equal(
            [
                "There can be only one input field named \"nameContains\". (1:25, 1:44)",
                "There can be only one input field named \"or\". (1:19, 1:65)",
            ],
            RuleErrors.Of<UniqueInputFieldNamesRule>("{ people(filter: {or: [{nameContains: \"a\", nameContains: \"b\"}], or: []}) { id } }"));
    }
}

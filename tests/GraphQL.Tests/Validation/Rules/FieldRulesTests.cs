using MusicSearch.GraphQL.Validation.Rules;

namespace MusicSearch.GraphQL.Tests.Validation.Rules;

/// <summary>ScalarLeafs and FieldsOnCorrectType.</summary>
public class FieldRulesTests
{
    [Fact]
    public void Leaves_have_no_selections_and_composites_have_one()
    {
        Assert.Empty(RuleErrors.Of<ScalarLeafsRule>("{ dog { name tags birthday owner { pets { __typename } } } flag unknown { a } }"));
        Assert.Equal(
            [
                "Field \"dog\" of type \"Dog\" must have a selection of subfields. Did you mean \"dog { ... }\"? (1:3)",
                "Field \"flag\" must not have a selection since type \"Boolean!\" has no subfields. (1:12)",
                "Field \"people\" of type \"[Person!]!\" must have a selection of subfields. Did you mean \"people { ... }\"? (1:18)",
            ],
            RuleErrors.Of<ScalarLeafsRule>("{ dog flag { x } people }"));
    }

    [Fact]
    public void Fields_exist_on_the_type_they_are_selected_on()
    {
        Assert.Empty(RuleErrors.Of<FieldsOnCorrectTypeRule>(
            "{ __typename __schema { types { name } } __type(name: \"Dog\") { name } dog { __typename name } pet { __typename ... on Cat { lives } } }"));
        Assert.Equal(
            [
                "Cannot query field \"nam\" on type \"Dog\". Did you mean \"name\"? (1:9)",
                "Cannot query field \"xyz\" on type \"Cat\". (1:21)",
                "Cannot query field \"__schema\" on type \"Cat\". (1:25)",
            ],
            RuleErrors.Of<FieldsOnCorrectTypeRule>("{ dog { nam } cat { xyz __schema { types { name } } } }"));
    }

    [Theory]
    [InlineData("{ pet { name } }", "Cannot query field \"name\" on type \"Pet\". Did you mean to use an inline fragment on \"Named\", \"Creature\", \"Cat\", or \"Dog\"? (1:9)")]
    [InlineData("{ creature { barks } }", "Cannot query field \"barks\" on type \"Creature\". Did you mean to use an inline fragment on \"Dog\"? (1:14)")]
    [InlineData("{ search(text: \"a\") { id } }", "Cannot query field \"id\" on type \"SearchResult\". Did you mean to use an inline fragment on \"Node\", \"Cat\", \"Dog\", or \"Person\"? (1:23)")]
    [InlineData("{ named { legs } }", "Cannot query field \"legs\" on type \"Named\". Did you mean to use an inline fragment on \"Creature\", \"Cat\", or \"Dog\"? (1:11)")]
    public void Fields_on_abstract_types_suggest_the_types_that_have_them(string document, string expected) =>
        Assert.Equal([expected], RuleErrors.Of<FieldsOnCorrectTypeRule>(document));
}

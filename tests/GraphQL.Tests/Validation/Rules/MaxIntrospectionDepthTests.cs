using MusicSearch.GraphQL.Validation.Rules;

namespace MusicSearch.GraphQL.Tests.Validation.Rules;

/// <summary>MaxIntrospectionDepth: introspection list fields may not nest three deep, also through fragments.</summary>
public class MaxIntrospectionDepthTests
{
    [Theory]
    [InlineData("{ __schema { types { fields { type { fields { name } } } } } }")]
    [InlineData("{ __type(name: \"Dog\") { interfaces { name } possibleTypes { name } inputFields { name } } }")]
    [InlineData("{ dog { friends { ... on Dog { friends { ... on Dog { friends { legs } } } } } } }")]
    public void Shallow_introspection_passes(string document) =>
        Assert.Empty(RuleErrors.Of<MaxIntrospectionDepthRule>(document));

    [Theory]
    [InlineData("{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }", "(1:3)")]
    [InlineData("{ flag __type(name: \"Dog\") { interfaces { possibleTypes { inputFields { name } } } } }", "(1:8)")]
    [InlineData("{ __schema { types { ...T } } } fragment T on __Type { fields { type { ...U } } } fragment U on __Type { fields { type { fields { name } } } }", "(1:3)")]
    [InlineData("{ __schema { types { ...T } } } fragment T on __Type { fields { type { ...T } } }", "(1:3)")]
    public void Deep_introspection_is_refused(string document, string location) =>
        Assert.Equal([$"Maximum introspection depth exceeded {location}"], RuleErrors.Of<MaxIntrospectionDepthRule>(document));

    [Fact]
    public void Fragments_reached_at_several_depths_are_judged_per_depth()
    {
        // T stays within the limit entered at depth zero, but not when entered again two levels deeper.
        Assert.Single(RuleErrors.Of<MaxIntrospectionDepthRule>(
            "{ __schema { types { ...T fields { type { fields { type { ...T } } } } } } } fragment T on __Type { fields { name } }"));
        Assert.Empty(RuleErrors.Of<MaxIntrospectionDepthRule>(
            "{ __schema { types { ...T } } a: __schema { types { ...T fields { name } } } } fragment T on __Type { fields { name } }"));
    }
}

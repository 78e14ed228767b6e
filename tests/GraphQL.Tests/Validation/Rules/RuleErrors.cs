using MusicSearch.GraphQL.Validation;

namespace MusicSearch.GraphQL.Tests.Validation.Rules;

/// <summary>What one rule, alone, reports about a document against <see cref="ValidationSchema"/>: "message (line:column, ...)".</summary>
internal static class RuleErrors
{
    public static IReadOnlyList<string> Of<TRule>(string document)
        where TRule : IValidationRule, new() => ValidationCorpus.Validate(document, [new TRule()]);
}

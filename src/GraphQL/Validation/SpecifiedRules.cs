namespace MusicSearch.GraphQL.Validation;

/// <summary>
/// The validation rules applied to every request, in graphql-js 16.15's order (its <c>specifiedRules</c>). The rules
/// themselves live in <c>Validation/Rules/</c>, one class per rule of spec section 5.
/// </summary>
public static class SpecifiedRules
{
    public static IReadOnlyList<IValidationRule> All { get; } =
    [
    ];
}

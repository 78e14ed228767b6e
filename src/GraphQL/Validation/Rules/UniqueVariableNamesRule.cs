using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Validation.Rules;

/// <summary>Variable Uniqueness (spec 5.8.1): an operation defines each variable once.</summary>
public sealed class UniqueVariableNamesRule : IValidationRule
{
    public AstVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : AstVisitor
    {
        protected override void Enter(OperationDefinitionNode node)
        {
            foreach (var group in node.VariableDefinitions.GroupBy(definition => definition.Variable.Name.Value, StringComparer.Ordinal))
            {
                if (group.Skip(1).Any())
                {
                    context.ReportError($"There can be only one variable named \"${group.Key}\".", [.. group.Select(definition => definition.Variable.Name)]);
                }
            }
        }
    }
}

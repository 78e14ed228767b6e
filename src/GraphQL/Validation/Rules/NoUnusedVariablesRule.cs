using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Validation.Rules;

/// <summary>All Variables Used (spec 5.8.4): every variable an operation defines is used, in it or in a fragment it spreads.</summary>
public sealed class NoUnusedVariablesRule : IValidationRule
{
    public AstVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : AstVisitor
    {
        protected override void Leave(OperationDefinitionNode node)
        {
            var used = context.GetRecursiveVariableUsages(node).Select(usage => usage.Node.Name.Value).ToHashSet(StringComparer.Ordinal);
            foreach (var definition in node.VariableDefinitions)
            {
                var name = definition.Variable.Name.Value;
                if (!used.Contains(name))
                {
                    context.ReportError(
                        node.Name is { } operationName
                            ? $"Variable \"${name}\" is never used in operation \"{operationName.Value}\"."
                            : $"Variable \"${name}\" is never used.",
                        definition);
                }
            }
        }
    }
}

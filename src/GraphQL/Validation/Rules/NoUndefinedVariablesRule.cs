using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Validation.Rules;

/// <summary>All Variable Uses Defined (spec 5.8.3): every variable an operation uses, also through its fragments, is defined by it.</summary>
public sealed class NoUndefinedVariablesRule : IValidationRule
{
    public AstVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : AstVisitor
    {
        private readonly HashSet<string> _defined = new(StringComparer.Ordinal);

        protected override void Enter(OperationDefinitionNode node) => _defined.Clear();

        protected override void Enter(VariableDefinitionNode node) => _defined.Add(node.Variable.Name.Value);

        protected override void Leave(OperationDefinitionNode node)
        {
            foreach (var usage in context.GetRecursiveVariableUsages(node))
            {
                var name = usage.Node.Name.Value;
                if (!_defined.Contains(name))
                {
                    context.ReportError(
                        node.Name is { } operationName
                            ? $"Variable \"${name}\" is not defined by operation \"{operationName.Value}\"."
                            : $"Variable \"${name}\" is not defined.",
                        usage.Node,
                        node);
                }
            }
        }
    }
}

using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Validation.Rules;

/// <summary>Variables Are Input Types (spec 5.8.2): a variable's type is a scalar, enum or input object, possibly wrapped.</summary>
public sealed class VariablesAreInputTypesRule : IValidationRule
{
    public AstVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : AstVisitor
    {
        protected override void Enter(VariableDefinitionNode node)
        {
            if (TypeInfo.TypeFromAst(context.Schema, node.Type) is { IsInputType: false })
            {
                context.ReportError($"Variable \"${node.Variable.Name.Value}\" cannot be non-input type \"{Printer.Print(node.Type)}\".", node.Type);
            }
        }
    }
}

using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Validation.Rules;

/// <summary>Fragments On Composite Types (spec 5.5.1.3): a type condition names an object, interface or union.</summary>
public sealed class FragmentsOnCompositeTypesRule : IValidationRule
{
    public AstVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : AstVisitor
    {
        protected override void Enter(InlineFragmentNode node)
        {
            if (node.TypeCondition is { } condition && IsNonComposite(condition))
            {
                context.ReportError($"Fragment cannot condition on non composite type \"{Printer.Print(condition)}\".", condition);
            }
        }

        protected override void Enter(FragmentDefinitionNode node)
        {
            if (IsNonComposite(node.TypeCondition))
            {
                context.ReportError(
                    $"Fragment \"{node.Name.Value}\" cannot condition on non composite type \"{Printer.Print(node.TypeCondition)}\".",
                    node.TypeCondition);
            }
        }

        /// <summary>Unknown types are KnownTypeNames' to report.</summary>
        private bool IsNonComposite(NamedTypeNode condition) => TypeInfo.TypeFromAst(context.Schema, condition) is { IsCompositeType: false };
    }
}

using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;
using MusicSearch.GraphQL.Types;

namespace MusicSearch.GraphQL.Validation.Rules;

/// <summary>
/// Fragment Spread Is Possible (spec 5.5.2.3): a fragment is spread only where some object could be both of the
/// enclosing type and of the fragment's type.
/// </summary>
public sealed class PossibleFragmentSpreadsRule : IValidationRule
{
    public AstVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : AstVisitor
    {
        protected override void Enter(InlineFragmentNode node)
        {
            if (context.Type is NamedType { IsCompositeType: true } fragmentType &&
                context.ParentType is { IsCompositeType: true } parentType &&
                !TypeComparators.DoTypesOverlap(context.Schema, fragmentType, parentType))
            {
                context.ReportError(
                    $"Fragment cannot be spread here as objects of type \"{parentType}\" can never be of type \"{fragmentType}\".", node);
            }
        }

        protected override void Enter(FragmentSpreadNode node)
        {
            var name = node.Name.Value;
            if (context.GetFragment(name) is { } fragment &&
                TypeInfo.TypeFromAst(context.Schema, fragment.TypeCondition) is NamedType { IsCompositeType: true } fragmentType &&
                context.ParentType is { } parentType &&
                !TypeComparators.DoTypesOverlap(context.Schema, fragmentType, parentType))
            {
                context.ReportError(
                    $"Fragment \"{name}\" cannot be spread here as objects of type \"{parentType}\" can never be of type \"{fragmentType}\".", node);
            }
        }
    }
}

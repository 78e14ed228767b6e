using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Validation.Rules;

/// <summary>Leaf Field Selections (spec 5.3.3): scalar and enum fields have no selection set; all other fields have a non-empty one.</summary>
public sealed class ScalarLeafsRule : IValidationRule
{
    public AstVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : AstVisitor
    {
        protected override void Enter(FieldNode node)
        {
            if (context.Type is not { } type)
            {
                return;
            }

            var name = node.Name.Value;
            if (type.Named.IsLeafType)
            {
                if (node.SelectionSet is { } selectionSet)
                {
                    context.ReportError($"Field \"{name}\" must not have a selection since type \"{type}\" has no subfields.", selectionSet);
                }
            }
            else if (node.SelectionSet is null)
            {
                context.ReportError($"Field \"{name}\" of type \"{type}\" must have a selection of subfields. Did you mean \"{name} {{ ... }}\"?", node);
            }
            else if (node.SelectionSet.Selections.Count == 0)
            {
                context.ReportError($"Field \"{name}\" of type \"{type}\" must have at least one field selected.", node);
            }
        }
    }
}

using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Validation.Rules;

/// <summary>
/// Field Selection Merging (spec 5.3.2): fields that share a response name, anywhere they meet through fragments,
/// are the same field with the same arguments (unless their parents can never be the same object) and have
/// response shapes that can merge (SameResponseShape).
/// </summary>
/// <remarks>
/// Rather than the spec's pairwise FieldsInSetCanMerge over every merged set, which repeats work exponentially with
/// nested fragments, this follows graphql-js's algorithm: each selection set is compared within itself once, and
/// otherwise only between collections of fields (see <see cref="FieldConflictFinder"/>), with field collections,
/// fragment pairs, overlapping response names and argument comparisons remembered, and all work metered by a budget.
/// </remarks>
public sealed class OverlappingFieldsCanBeMergedRule : IValidationRule
{
    public AstVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : AstVisitor
    {
        private readonly FieldConflictFinder _finder = new(context);
        private SelectionSetNode? _inlineFragmentSelectionSet;

        protected override void Enter(InlineFragmentNode node) => _inlineFragmentSelectionSet = node.SelectionSet;

        protected override void Enter(SelectionSetNode node)
        {
            // An inline fragment's fields are compared as part of the enclosing selection set.
            if (ReferenceEquals(node, _inlineFragmentSelectionSet))
            {
                return;
            }

            var selections = node.Selections;
            if (selections.Count == 0 || (selections.Count == 1 && selections[0] is not InlineFragmentNode))
            {
                return;
            }

            foreach (var conflict in _finder.FindWithin(context.ParentType, node))
            {
                context.ReportError(
                    $"Fields \"{FieldConflictFinder.Abbreviate(conflict.ResponseName)}\" conflict because {conflict.Reason}. Use different aliases on the fields to fetch both if this was intentional.",
                    [.. conflict.Fields1, .. conflict.Fields2]);
            }
        }
    }
}

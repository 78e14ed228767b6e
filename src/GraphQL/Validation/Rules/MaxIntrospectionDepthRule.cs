using System.Runtime.CompilerServices;
using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Validation.Rules;

/// <summary>
/// Not a rule of the spec but one of graphql-js 16.15's specified rules: an introspection query may not nest the
/// list fields <c>fields</c>, <c>interfaces</c>, <c>possibleTypes</c> and <c>inputFields</c> three deep, so that
/// a small query cannot ask for an exponentially large answer. Fragment results are remembered per entry depth,
/// so each fragment is searched a bounded number of times.
/// </summary>
public sealed class MaxIntrospectionDepthRule : IValidationRule
{
    private const int MaxListsDepth = 3;

    public AstVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : AstVisitor
    {
        /// <summary>For each fragment, the greatest entry depth at which its search ended below the limit.</summary>
        private readonly Dictionary<string, int> _checked = new(StringComparer.Ordinal);

        /// <summary>For each fragment, the smallest entry depth at which its search reached the limit.</summary>
        private readonly Dictionary<string, int> _exceeded = new(StringComparer.Ordinal);

        protected override void Enter(FieldNode node)
        {
            if (node.Name.Value is "__schema" or "__type" && Exceeds(node, new Dictionary<string, int>(StringComparer.Ordinal), 0))
            {
                context.ReportError("Maximum introspection depth exceeded", node);
                SkipChildren();
            }
        }

        /// <param name="node">A field, inline fragment or fragment spread.</param>
        /// <param name="visited">For each fragment, the greatest depth it was entered at during this root's search.</param>
        /// <param name="depth">How many introspection lists enclose the node.</param>
        private bool Exceeds(Node node, Dictionary<string, int> visited, int depth)
        {
            if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            {
                context.Abort();
            }

            SelectionSetNode? selectionSet;
            switch (node)
            {
                case FragmentSpreadNode spread:
                    return FragmentExceeds(spread.Name.Value, visited, depth);
                case FieldNode field:
                    if (field.Name.Value is "fields" or "interfaces" or "possibleTypes" or "inputFields" && ++depth >= MaxListsDepth)
                    {
                        return true;
                    }

                    selectionSet = field.SelectionSet;
                    break;
                default:
                    selectionSet = ((InlineFragmentNode)node).SelectionSet;
                    break;
            }

            return selectionSet is not null && selectionSet.Selections.Any(selection => Exceeds(selection, visited, depth));
        }

        private bool FragmentExceeds(string name, Dictionary<string, int> visited, int depth)
        {
            // A search that reached the limit reaches it again from as deep or deeper.
            if (_exceeded.TryGetValue(name, out var exceededDepth) && exceededDepth <= depth)
            {
                return true;
            }

            // From as shallow or shallower, a revisit only closes a cycle or repeats a search that stayed below.
            if ((visited.TryGetValue(name, out var visitedDepth) && visitedDepth >= depth) ||
                (_checked.TryGetValue(name, out var checkedDepth) && checkedDepth >= depth))
            {
                return false;
            }

            if (context.GetFragment(name) is not { } fragment)
            {
                return false;
            }

            visited[name] = depth;
            if (fragment.SelectionSet.Selections.Any(selection => Exceeds(selection, visited, depth)))
            {
                _exceeded[name] = depth;
                return true;
            }

            _checked[name] = depth;
            return false;
        }
    }
}

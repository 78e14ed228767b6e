using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Validation.Rules;

/// <summary>
/// Fragment Spreads Must Not Form Cycles (spec 5.5.2.2). One depth-first search over the spread graph, each
/// fragment entered once, reports every cycle with the spreads that form it (graphql-js's order and wording).
/// </summary>
public sealed class NoFragmentCyclesRule : IValidationRule
{
    public AstVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : AstVisitor
    {
        private readonly HashSet<string> _visited = new(StringComparer.Ordinal);
        private readonly List<FragmentSpreadNode> _spreadPath = [];

        /// <summary>Where on the current path each fragment being searched was entered.</summary>
        private readonly Dictionary<string, int> _pathIndexByName = new(StringComparer.Ordinal);

        protected override void Enter(OperationDefinitionNode node) => SkipChildren();

        protected override void Enter(FragmentDefinitionNode node)
        {
            DetectCycles(node);
            SkipChildren();
        }

        /// <summary>
        /// The search keeps its own stack rather than recursing, so that a long chain of fragments spreading each
        /// other cannot exhaust the thread's stack.
        /// </summary>
        private void DetectCycles(FragmentDefinitionNode fragment)
        {
            var searching = new Stack<Frame>();
            Enter(fragment, searching);
            while (searching.TryPeek(out var frame))
            {
                if (frame.Next == frame.Spreads.Count)
                {
                    searching.Pop();
                    _pathIndexByName.Remove(frame.Name);
                    if (searching.Count > 0)
                    {
                        // The spread that led into the fragment just left.
                        _spreadPath.RemoveAt(_spreadPath.Count - 1);
                    }

                    continue;
                }

                var spread = frame.Spreads[frame.Next++];
                var spreadName = spread.Name.Value;
                _spreadPath.Add(spread);
                if (_pathIndexByName.TryGetValue(spreadName, out var cycleIndex))
                {
                    ReportCycle(spreadName, _spreadPath[cycleIndex..]);
                }
                else if (context.GetFragment(spreadName) is { } spreadFragment && Enter(spreadFragment, searching))
                {
                    continue;
                }

                _spreadPath.RemoveAt(_spreadPath.Count - 1);
            }
        }

        /// <returns>Whether the fragment was entered: not searched before, and spreading others.</returns>
        private bool Enter(FragmentDefinitionNode fragment, Stack<Frame> searching)
        {
            var name = fragment.Name.Value;
            if (!_visited.Add(name))
            {
                return false;
            }

            var spreads = context.GetFragmentSpreads(fragment.SelectionSet);
            if (spreads.Count == 0)
            {
                return false;
            }

            _pathIndexByName[name] = _spreadPath.Count;
            searching.Push(new Frame(name, spreads));
            return true;
        }

        private void ReportCycle(string spreadName, List<FragmentSpreadNode> cycle)
        {
            var via = string.Join(", ", cycle.SkipLast(1).Select(step => $"\"{step.Name.Value}\""));
            context.ReportError($"Cannot spread fragment \"{spreadName}\" within itself{(via.Length > 0 ? $" via {via}." : ".")}", [.. cycle]);
        }

        private sealed class Frame(string name, IReadOnlyList<FragmentSpreadNode> spreads)
        {
            public string Name { get; } = name;

            public IReadOnlyList<FragmentSpreadNode> Spreads { get; } = spreads;

            public int Next { get; set; }
        }
    }
}

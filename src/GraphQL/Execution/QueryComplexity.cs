using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Execution;

/// <summary>
/// Measures an operation against <see cref="ExecutionLimits"/> without expanding fragments: each fragment's field
/// count and depth are computed once and reused wherever it is spread, so a document whose expansion would be
/// exponential is measured in time proportional to its length.
/// </summary>
internal sealed class QueryComplexity
{
    private readonly IReadOnlyDictionary<string, FragmentDefinitionNode> _fragments;
    private readonly ExecutionLimits _limits;
    private readonly Dictionary<string, Measure> _measured = new(StringComparer.Ordinal);
    private readonly HashSet<string> _measuring = new(StringComparer.Ordinal);
    private readonly List<GraphQLError> _errors = [];

    private QueryComplexity(IReadOnlyDictionary<string, FragmentDefinitionNode> fragments, ExecutionLimits limits)
    {
        _fragments = fragments;
        _limits = limits;
    }

    /// <summary>The limits each operation of <paramref name="document"/> exceeds; empty when all are within bounds.</summary>
    public static IReadOnlyList<GraphQLError> Check(DocumentNode document, ExecutionLimits limits)
    {
        var fragments = new Dictionary<string, FragmentDefinitionNode>(StringComparer.Ordinal);
        foreach (var fragment in document.Definitions.OfType<FragmentDefinitionNode>())
        {
            fragments.TryAdd(fragment.Name.Value, fragment);
        }

        var complexity = new QueryComplexity(fragments, limits);
        foreach (var operation in document.Definitions.OfType<OperationDefinitionNode>())
        {
            var measure = complexity.MeasureSelections(operation.SelectionSet);
            if (measure.Depth > limits.MaxDepth)
            {
                complexity.Report($"The operation nests fields {measure.Depth} levels deep, more than the limit of {limits.MaxDepth}.", operation);
            }

            if (measure.Fields > limits.MaxFields)
            {
                complexity.Report($"The operation selects {measure.Fields} fields once fragments are expanded, more than the limit of {limits.MaxFields}.", operation);
            }
        }

        return complexity._errors;
    }

    /// <summary>Fields selected (fragments expanded, saturating rather than overflowing) and the depth of the deepest.</summary>
    private readonly record struct Measure(long Fields, int Depth);

    private Measure MeasureSelections(SelectionSetNode selectionSet)
    {
        var directFields = selectionSet.Selections.Count(selection => selection is FieldNode);
        if (directFields > _limits.MaxBreadth)
        {
            Report($"A selection set selects {directFields} fields, more than the limit of {_limits.MaxBreadth}.", selectionSet);
        }

        long fields = 0;
        var depth = 0;
        foreach (var selection in selectionSet.Selections)
        {
            var measure = selection switch
            {
                FieldNode { SelectionSet: null } => new Measure(1, 1),
                FieldNode field => MeasureSelections(field.SelectionSet) is var sub ? new Measure(Add(sub.Fields, 1), sub.Depth + 1) : default,
                InlineFragmentNode inline => MeasureSelections(inline.SelectionSet),
                FragmentSpreadNode spread => MeasureFragment(spread),
                _ => default,
            };
            fields = Add(fields, measure.Fields);
            depth = Math.Max(depth, measure.Depth);
        }

        return new Measure(fields, depth);
    }

    private Measure MeasureFragment(FragmentSpreadNode spread)
    {
        var name = spread.Name.Value;
        if (_measured.TryGetValue(name, out var known))
        {
            return known;
        }

        if (!_fragments.TryGetValue(name, out var fragment))
        {
            return default;
        }

        if (!_measuring.Add(name))
        {
            // Executing a cycle would never end; it is a validation error, reported here because this check comes first.
            _errors.Add(GraphQLError.At($"Cannot spread fragment \"{name}\" within itself.", ErrorCodes.ValidationFailed, spread));
            return _measured[name] = default;
        }

        var measure = MeasureSelections(fragment.SelectionSet);
        _measuring.Remove(name);
        return _measured[name] = measure;
    }

    private void Report(string message, Node node)
    {
        if (_errors.Count < 10)
        {
            _errors.Add(GraphQLError.At(message, ErrorCodes.QueryTooComplex, node));
        }
    }

    private static long Add(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}

using MusicSearch.GraphQL.Language;
using MusicSearch.GraphQL.Language.Ast;
using MusicSearch.GraphQL.Types;

namespace MusicSearch.GraphQL.Validation;

/// <summary>
/// What a rule's visitor can ask while the document is walked (graphql-js ValidationContext): the schema and
/// document, the types around the current node, the document's fragments and variable usages, and where to report.
/// </summary>
public sealed class ValidationContext
{
    private readonly List<GraphQLError> _errors = [];
    private readonly int _maxErrors;
    private readonly Dictionary<string, FragmentDefinitionNode> _fragments = new(StringComparer.Ordinal);
    private readonly Dictionary<SelectionSetNode, IReadOnlyList<FragmentSpreadNode>> _spreads = new(ReferenceEqualityComparer.Instance);

    /// <summary>Referenced fragments by the set of fragment names spread directly (sorted, comma-joined), as graphql-js caches them.</summary>
    private readonly Dictionary<string, IReadOnlyList<FragmentDefinitionNode>> _referencedFragments = new(StringComparer.Ordinal);

    /// <summary>The variable usages of a list of referenced fragments, by the list itself.</summary>
    private readonly Dictionary<IReadOnlyList<FragmentDefinitionNode>, List<VariableUsage>> _fragmentVariableUsages = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Node, IReadOnlyList<VariableUsage>> _variableUsages = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<OperationDefinitionNode, IReadOnlyList<VariableUsage>> _recursiveVariableUsages = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// What following fragments may cost in all (graphql-js 16.15's budget): a document whose fragments spread each
    /// other widely cannot make the helpers below, or the rules using them, run for long.
    /// </summary>
    private int _remainingFragmentWork = 50_000;

    internal ValidationContext(Schema schema, DocumentNode document, TypeInfo typeInfo, int maxErrors)
    {
        Schema = schema;
        Document = document;
        TypeInfo = typeInfo;
        _maxErrors = maxErrors;
        foreach (var fragment in document.Definitions.OfType<FragmentDefinitionNode>())
        {
            // The last of several fragments of one name wins, as in graphql-js (UniqueFragmentNames reports the clash).
            _fragments[fragment.Name.Value] = fragment;
        }
    }

    public Schema Schema { get; }

    public DocumentNode Document { get; }

    /// <summary>The types around the node being visited; the properties below are shortcuts into it.</summary>
    public TypeInfo TypeInfo { get; }

    public IReadOnlyList<GraphQLError> Errors => _errors;

    public GraphQLType? Type => TypeInfo.Type;

    public NamedType? ParentType => TypeInfo.ParentType;

    public GraphQLType? InputType => TypeInfo.InputType;

    public GraphQLType? ParentInputType => TypeInfo.ParentInputType;

    public FieldDefinition? FieldDefinition => TypeInfo.FieldDefinition;

    public DirectiveDefinition? Directive => TypeInfo.Directive;

    public InputValueDefinition? Argument => TypeInfo.Argument;

    public EnumValueDefinition? EnumValue => TypeInfo.EnumValue;

    /// <summary>Reports a problem about <paramref name="nodes"/>, located at their starts, with code GRAPHQL_VALIDATION_FAILED.</summary>
    public void ReportError(string message, params Node[] nodes) => ReportError(GraphQLError.At(message, ErrorCodes.ValidationFailed, nodes));

    public void ReportError(GraphQLError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (_errors.Count >= _maxErrors)
        {
            _errors.Add(new GraphQLError("Too many validation errors, error limit reached. Validation aborted.", extensions: GraphQLError.WithCode(ErrorCodes.ValidationFailed)));
            throw new ValidationAbortedException();
        }

        _errors.Add(error);
    }

    /// <summary>
    /// Charges <paramref name="cost"/> units of work following fragments; once the budget is spent, validation stops
    /// with a "Validation aborted." error, as graphql-js does.
    /// </summary>
    internal void SpendFragmentWork(int cost)
    {
        _remainingFragmentWork -= cost;
        if (_remainingFragmentWork < 0)
        {
            Abort();
        }
    }

    /// <summary>Stops the walk, recording graphql-js's error for a document that costs too much to validate.</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    internal void Abort()
    {
        _errors.Add(new GraphQLError("Validation aborted.", extensions: GraphQLError.WithCode(ErrorCodes.ValidationFailed)));
        throw new ValidationAbortedException();
    }

    /// <summary>The fragment of that name in the document (the last one, if there are several).</summary>
    public FragmentDefinitionNode? GetFragment(string name) => _fragments.GetValueOrDefault(name);

    /// <summary>The fragment spreads anywhere inside a selection set: in it, its inline fragments and its fields' selection sets (not through other spreads).</summary>
    public IReadOnlyList<FragmentSpreadNode> GetFragmentSpreads(SelectionSetNode selectionSet)
    {
        ArgumentNullException.ThrowIfNull(selectionSet);
        if (_spreads.TryGetValue(selectionSet, out var cached))
        {
            return cached;
        }

        var spreads = new List<FragmentSpreadNode>();
        var pending = new Stack<SelectionSetNode>([selectionSet]);
        while (pending.TryPop(out var set))
        {
            foreach (var selection in set.Selections)
            {
                switch (selection)
                {
                    case FragmentSpreadNode spread:
                        spreads.Add(spread);
                        break;
                    case FieldNode { SelectionSet: { } subSelection }:
                        pending.Push(subSelection);
                        break;
                    case InlineFragmentNode inline:
                        pending.Push(inline.SelectionSet);
                        break;
                }
            }
        }

        return _spreads[selectionSet] = spreads;
    }

    /// <summary>
    /// Every fragment an operation uses, directly or through other fragments, each once (cycles are safe), in
    /// graphql-js's order: the operation's own spreads first, then those each found fragment adds.
    /// </summary>
    public IReadOnlyList<FragmentDefinitionNode> GetRecursivelyReferencedFragments(OperationDefinitionNode operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return GetRecursivelyReferencedFragments([operation]);
    }

    /// <summary>
    /// Every fragment some of the operations use. Results are remembered by the set of fragments the operations
    /// spread directly, so operations spreading the same fragments cost once (graphql-js 16.15 does the same, which
    /// its fragment-work budget relies on).
    /// </summary>
    public IReadOnlyList<FragmentDefinitionNode> GetRecursivelyReferencedFragments(IEnumerable<OperationDefinitionNode> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var names = new List<string>();
        var collected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var operation in operations)
        {
            foreach (var spread in GetFragmentSpreads(operation.SelectionSet))
            {
                if (collected.Add(spread.Name.Value))
                {
                    names.Add(spread.Name.Value);
                }
            }
        }

        var key = string.Join(',', names.Order(StringComparer.Ordinal));
        if (_referencedFragments.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var fragments = new List<FragmentDefinitionNode>();
        SpendFragmentWork(names.Count);
        for (var i = 0; i < names.Count; i++)
        {
            if (GetFragment(names[i]) is not { } fragment)
            {
                continue;
            }

            fragments.Add(fragment);
            var spreads = GetFragmentSpreads(fragment.SelectionSet);
            SpendFragmentWork(spreads.Count);
            foreach (var spread in spreads)
            {
                if (collected.Add(spread.Name.Value))
                {
                    names.Add(spread.Name.Value);
                }
            }
        }

        return _referencedFragments[key] = fragments;
    }

    /// <summary>The variables used inside an operation or fragment (not through spreads), with the types expected where they are used.</summary>
    public IReadOnlyList<VariableUsage> GetVariableUsages(ExecutableDefinitionNode definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (_variableUsages.TryGetValue(definition, out var cached))
        {
            return cached;
        }

        var collector = new VariableUsageCollector(new TypeInfo(Schema));
        AstWalker.Walk(definition, collector);
        return _variableUsages[definition] = collector.Usages;
    }

    /// <summary>The variables an operation uses, directly or in the fragments it spreads.</summary>
    public IReadOnlyList<VariableUsage> GetRecursiveVariableUsages(OperationDefinitionNode operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (_recursiveVariableUsages.TryGetValue(operation, out var cached))
        {
            return cached;
        }

        var fragments = GetRecursivelyReferencedFragments(operation);
        if (!_fragmentVariableUsages.TryGetValue(fragments, out var fragmentUsages))
        {
            fragmentUsages = [];
            SpendFragmentWork(fragments.Count);
            foreach (var fragment in fragments)
            {
                var usagesInFragment = GetVariableUsages(fragment);
                SpendFragmentWork(usagesInFragment.Count);
                fragmentUsages.AddRange(usagesInFragment);
            }

            _fragmentVariableUsages[fragments] = fragmentUsages;
        }

        SpendFragmentWork(fragmentUsages.Count);
        List<VariableUsage> usages = [.. GetVariableUsages(operation), .. fragmentUsages];

        return _recursiveVariableUsages[operation] = usages;
    }

    /// <summary>Walks a definition with its own type information, noting each variable in a value position.</summary>
    private sealed class VariableUsageCollector(TypeInfo typeInfo) : AstVisitor
    {
        public List<VariableUsage> Usages { get; } = [];

        public override bool EnterNode(Node node)
        {
            typeInfo.Enter(node);
            if (node is VariableDefinitionNode)
            {
                // The variable being defined is not a usage.
                typeInfo.Leave(node);
                return false;
            }

            if (node is VariableNode variable)
            {
                Usages.Add(new VariableUsage(variable, typeInfo.InputType, typeInfo.DefaultValueOwner is not null, typeInfo.ParentInputType));
            }

            return true;
        }

        public override void LeaveNode(Node node) => typeInfo.Leave(node);
    }
}

/// <summary>Thrown through the walk to stop validating once the error limit is reached.</summary>
internal sealed class ValidationAbortedException : Exception
{
}

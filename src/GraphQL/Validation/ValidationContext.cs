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
    private readonly Dictionary<OperationDefinitionNode, IReadOnlyList<FragmentDefinitionNode>> _referencedFragments = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Node, IReadOnlyList<VariableUsage>> _variableUsages = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<OperationDefinitionNode, IReadOnlyList<VariableUsage>> _recursiveVariableUsages = new(ReferenceEqualityComparer.Instance);

    internal ValidationContext(Schema schema, DocumentNode document, TypeInfo typeInfo, int maxErrors)
    {
        Schema = schema;
        Document = document;
        TypeInfo = typeInfo;
        _maxErrors = maxErrors;
        foreach (var fragment in document.Definitions.OfType<FragmentDefinitionNode>())
        {
            _fragments.TryAdd(fragment.Name.Value, fragment);
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

    /// <summary>The first fragment of that name in the document, if any.</summary>
    public FragmentDefinitionNode? GetFragment(string name) => _fragments.GetValueOrDefault(name);

    /// <summary>The fragment spreads in a selection set, including those inside its inline fragments, but not in sub-fields' selection sets.</summary>
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

    /// <summary>Every fragment an operation uses, directly or through other fragments, each once (cycles are safe).</summary>
    public IReadOnlyList<FragmentDefinitionNode> GetRecursivelyReferencedFragments(OperationDefinitionNode operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (_referencedFragments.TryGetValue(operation, out var cached))
        {
            return cached;
        }

        var fragments = new List<FragmentDefinitionNode>();
        var collected = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<SelectionSetNode>([operation.SelectionSet]);
        while (pending.TryPop(out var set))
        {
            foreach (var spread in GetFragmentSpreads(set))
            {
                if (collected.Add(spread.Name.Value) && GetFragment(spread.Name.Value) is { } fragment)
                {
                    fragments.Add(fragment);
                    pending.Push(fragment.SelectionSet);
                }
            }
        }

        return _referencedFragments[operation] = fragments;
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

        var usages = new List<VariableUsage>(GetVariableUsages(operation));
        foreach (var fragment in GetRecursivelyReferencedFragments(operation))
        {
            usages.AddRange(GetVariableUsages(fragment));
        }

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

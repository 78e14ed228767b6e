using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using MusicSearch.GraphQL.Language.Ast;
using MusicSearch.GraphQL.Types;

namespace MusicSearch.GraphQL.Validation.Rules;

/// <summary>
/// Finds fields that cannot merge (graphql-js's OverlappingFieldsCanBeMerged algorithm). Each selection set of the
/// document is compared "within" itself exactly once, when the walk reaches it; everything else is a comparison
/// "between" two collections of fields: a selection set's fields against each fragment it spreads (and what those
/// spread), fragments spread side by side against each other, and the sub-selections of two fields of one response
/// name against each other. Collections, fragment pairs, shared response names and name/argument verdicts are
/// remembered, so repeated fragments cost once; a complexity budget bounds what a hostile document can cost.
/// </summary>
internal sealed class FieldConflictFinder(ValidationContext context)
{
    /// <summary>Longest response name or reason quoted in a message, so that messages stay small.</summary>
    private const int MaxDetailLength = 1000;

    /// <summary>Most field locations one conflict reports on each side.</summary>
    private const int MaxConflictNodes = 20;

    private readonly Dictionary<(NamedType?, SelectionSetNode), FieldCollection> _collections = new(SelectionKeyComparer.Instance);

    /// <summary>Fragment pairs compared so far, and whether only as mutually exclusive (graphql-js PairSet).</summary>
    private readonly Dictionary<(string, string), bool> _comparedFragmentPairs = [];

    private readonly Dictionary<ValueNode, string> _canonicalValues = new(ReferenceEqualityComparer.Instance);

    private int _remainingBudget = 500_000;

    public static string Abbreviate(string text) => text.Length > MaxDetailLength ? string.Concat(text.AsSpan(0, MaxDetailLength), "...") : text;

    /// <summary>Every conflict among the fields a selection set selects, directly, in inline fragments and through spreads.</summary>
    public List<FieldConflict> FindWithin(NamedType? parentType, SelectionSetNode selectionSet)
    {
        var conflicts = new List<FieldConflict>();
        var collection = Collect(parentType, selectionSet);

        // The only place fields of one collection are compared with each other.
        foreach (var (responseName, fields) in collection.Fields)
        {
            for (var i = 0; i < fields.Count; i++)
            {
                for (var j = i + 1; j < fields.Count; j++)
                {
                    AddConflict(conflicts, FindConflict(false, responseName, fields[i], fields[j]));
                }
            }
        }

        var fragmentNames = collection.FragmentNames;
        if (fragmentNames.Count != 0 && (collection.Fields.Count != 0 || fragmentNames.Count > 1))
        {
            for (var i = 0; i < fragmentNames.Count; i++)
            {
                CompareFieldsWithFragment(conflicts, false, collection, fragmentNames[i]);
                for (var j = i + 1; j < fragmentNames.Count; j++)
                {
                    CompareFragments(conflicts, false, fragmentNames[i], fragmentNames[j]);
                }
            }
        }

        return conflicts;
    }

    /// <summary>A collection of fields against a fragment and, recursively, the fragments it spreads.</summary>
    private void CompareFieldsWithFragment(List<FieldConflict> conflicts, bool mutuallyExclusive, FieldCollection collection, string fragmentName)
    {
        EnsureStack();
        Spend(1);
        if (collection.Fields.Count == 0)
        {
            return;
        }

        // A comparison made as non-exclusive covers any later one; an exclusive one covers only exclusive ones.
        if (collection.ComparedFragments.TryGetValue(fragmentName, out var comparedExclusive) && (!comparedExclusive || mutuallyExclusive))
        {
            return;
        }

        collection.ComparedFragments[fragmentName] = mutuallyExclusive;
        if (context.GetFragment(fragmentName) is not { } fragment)
        {
            return;
        }

        var fragmentCollection = CollectFragment(fragment);
        if (ReferenceEquals(collection, fragmentCollection))
        {
            return;
        }

        CompareCollections(conflicts, mutuallyExclusive, collection, fragmentCollection);
        foreach (var referenced in fragmentCollection.FragmentNames)
        {
            CompareFieldsWithFragment(conflicts, mutuallyExclusive, collection, referenced);
        }
    }

    /// <summary>Two fragments and, recursively, each against the fragments the other spreads.</summary>
    private void CompareFragments(List<FieldConflict> conflicts, bool mutuallyExclusive, string fragmentName1, string fragmentName2)
    {
        EnsureStack();
        Spend(2);
        if (fragmentName1 == fragmentName2 || WereCompared(fragmentName1, fragmentName2, mutuallyExclusive))
        {
            return;
        }

        _comparedFragmentPairs[(fragmentName1, fragmentName2)] = mutuallyExclusive;
        if (context.GetFragment(fragmentName1) is not { } fragment1 || context.GetFragment(fragmentName2) is not { } fragment2)
        {
            return;
        }

        var collection1 = CollectFragment(fragment1);
        var collection2 = CollectFragment(fragment2);
        CompareCollections(conflicts, mutuallyExclusive, collection1, collection2);
        foreach (var referenced in collection2.FragmentNames)
        {
            CompareFragments(conflicts, mutuallyExclusive, fragmentName1, referenced);
        }

        foreach (var referenced in collection1.FragmentNames)
        {
            CompareFragments(conflicts, mutuallyExclusive, referenced, fragmentName2);
        }
    }

    private bool WereCompared(string a, string b, bool mutuallyExclusive) =>
        WereComparedInOrder(a, b, mutuallyExclusive) || WereComparedInOrder(b, a, mutuallyExclusive);

    private bool WereComparedInOrder(string a, string b, bool mutuallyExclusive) =>
        _comparedFragmentPairs.TryGetValue((a, b), out var comparedExclusive) && (mutuallyExclusive || !comparedExclusive);

    /// <summary>The sub-selections of two fields of one response name, with the fragments either spreads.</summary>
    private List<FieldConflict> CompareSubSelections(bool mutuallyExclusive, NamedType? parentType1, SelectionSetNode selectionSet1,
        NamedType? parentType2, SelectionSetNode selectionSet2)
    {
        var conflicts = new List<FieldConflict>();
        var collection1 = Collect(parentType1, selectionSet1);
        var collection2 = Collect(parentType2, selectionSet2);
        CompareCollections(conflicts, mutuallyExclusive, collection1, collection2);
        foreach (var fragmentName in collection2.FragmentNames)
        {
            CompareFieldsWithFragment(conflicts, mutuallyExclusive, collection1, fragmentName);
        }

        foreach (var fragmentName in collection1.FragmentNames)
        {
            CompareFieldsWithFragment(conflicts, mutuallyExclusive, collection2, fragmentName);
        }

        foreach (var fragmentName1 in collection1.FragmentNames)
        {
            foreach (var fragmentName2 in collection2.FragmentNames)
            {
                CompareFragments(conflicts, mutuallyExclusive, fragmentName1, fragmentName2);
            }
        }

        return conflicts;
    }

    /// <summary>Each field of one collection against each field of the same response name in the other.</summary>
    private void CompareCollections(List<FieldConflict> conflicts, bool parentsMutuallyExclusive, FieldCollection collection1, FieldCollection collection2)
    {
        if (collection1.Fields.Count == 0 || collection2.Fields.Count == 0)
        {
            return;
        }

        foreach (var shared in SharedResponseNames(collection1, collection2))
        {
            foreach (var field1 in shared.Fields1)
            {
                foreach (var field2 in shared.Fields2)
                {
                    AddConflict(conflicts, FindConflict(parentsMutuallyExclusive, shared.ResponseName, field1, field2));
                }
            }
        }
    }

    private List<SharedResponseName> SharedResponseNames(FieldCollection collection1, FieldCollection collection2)
    {
        if (collection1.Overlaps.TryGetValue(collection2, out var cached))
        {
            return cached;
        }

        var shared = new List<SharedResponseName>();
        foreach (var (responseName, fields1) in collection1.Fields)
        {
            Spend(1);
            if (collection2.Fields.TryGetValue(responseName, out var fields2))
            {
                shared.Add(new SharedResponseName(responseName, fields1, fields2));
            }
        }

        collection1.Overlaps[collection2] = shared;
        return shared;
    }

    /// <summary>
    /// Whether two fields of one response name can merge: unless their parents are distinct object types, they must
    /// be the same field with the same arguments; in any case their types must have the same shape, and their
    /// sub-selections must merge in turn.
    /// </summary>
    private FieldConflict? FindConflict(bool parentsMutuallyExclusive, string responseName, SelectedField field1, SelectedField field2)
    {
        EnsureStack();

        // Two distinct object types can never be the runtime type of one value, so such fields never run together.
        var mutuallyExclusive = parentsMutuallyExclusive ||
            (!ReferenceEquals(field1.ParentType, field2.ParentType) && field1.ParentType is ObjectType && field2.ParentType is ObjectType);
        Spend(2);
        if (field1.IsSimpleLeaf && field2.IsSimpleLeaf && ReferenceEquals(field1.Definition?.Type, field2.Definition?.Type) &&
            field1.Node.Name.Value == field2.Node.Name.Value)
        {
            return null;
        }

        if (!mutuallyExclusive && NameOrArgumentsDiffer(field1, field2) is { } reason)
        {
            return new FieldConflict(responseName, reason, [field1.Node], [field2.Node]);
        }

        var type1 = field1.Definition?.Type;
        var type2 = field2.Definition?.Type;
        if (type1 is not null && type2 is not null && DoTypesConflict(type1, type2))
        {
            var typeString1 = field1.Info.TypeString ??= type1.ToString();
            var typeString2 = field2.Info.TypeString ??= type2.ToString();
            return new FieldConflict(responseName, $"they return conflicting types \"{typeString1}\" and \"{typeString2}\"", [field1.Node], [field2.Node]);
        }

        if (field1.Node.SelectionSet is { } selectionSet1 && field2.Node.SelectionSet is { } selectionSet2)
        {
            var conflicts = CompareSubSelections(mutuallyExclusive, field1.Info.NamedType, selectionSet1, field2.Info.NamedType, selectionSet2);
            return SubfieldConflicts(conflicts, responseName, field1.Node, field2.Node);
        }

        return null;
    }

    private string? NameOrArgumentsDiffer(SelectedField field1, SelectedField field2)
    {
        var info1 = field1.Info;
        var info2 = field2.Info;
        if (!info1.Comparisons.TryGetValue(info2, out var reason))
        {
            var name1 = field1.Node.Name.Value;
            var name2 = field2.Node.Name.Value;
            reason = name1 != name2 ? $"\"{Abbreviate(name1)}\" and \"{Abbreviate(name2)}\" are different fields"
                : SameArguments(info1, info2) ? null
                : "they have differing arguments";
            info1.Comparisons[info2] = reason;
        }

        return reason;
    }

    private bool SameArguments(SelectedFieldInfo info1, SelectedFieldInfo info2)
    {
        if (info1.Arguments is null || info2.Arguments is null)
        {
            return info1.Arguments is null && info2.Arguments is null;
        }

        if (info1.Arguments.Count != info2.Arguments.Count)
        {
            return false;
        }

        foreach (var argument in info1.Arguments)
        {
            Spend(1);
            if (!info2.ArgumentValues!.TryGetValue(argument.Name.Value, out var value2) || Canonical(argument.Value) != Canonical(value2))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A text that two values share exactly when graphql-js considers them the same argument: object fields in
    /// name order, and a block string different from an ordinary one.
    /// </summary>
    private string Canonical(ValueNode value)
    {
        if (!_canonicalValues.TryGetValue(value, out var text))
        {
            var builder = new StringBuilder();
            WriteCanonical(builder, value);
            _canonicalValues[value] = text = builder.ToString();
        }

        return text;
    }

    private static void WriteCanonical(StringBuilder builder, ValueNode value)
    {
        builder.Append('(').Append((int)value.Kind).Append(' ');
        switch (value)
        {
            case VariableNode variable:
                builder.Append(variable.Name.Value);
                break;
            case ObjectValueNode objectValue:
                foreach (var field in objectValue.Fields.OrderBy(field => field.Name.Value, StringComparer.Ordinal))
                {
                    builder.Append(field.Name.Value).Append(':');
                    WriteCanonical(builder, field.Value);
                }

                break;
            case ListValueNode list:
                foreach (var item in list.Values)
                {
                    WriteCanonical(builder, item);
                }

                break;
            case StringValueNode text:
                builder.Append(JsonSerializer.Serialize(text.Value)).Append(text.Block ? " block" : string.Empty);
                break;
            case IntValueNode integer:
                builder.Append(integer.Value);
                break;
            case FloatValueNode number:
                builder.Append(number.Value);
                break;
            case BooleanValueNode boolean:
                builder.Append(boolean.Value ? "true" : "false");
                break;
            case EnumValueNode enumValue:
                builder.Append(enumValue.Value);
                break;
        }

        builder.Append(')');
    }

    /// <summary>
    /// Whether two types cannot both describe one value: lists and non-nulls must wrap alike, and leaf types must be
    /// the same; composite types are left to their fields' comparison.
    /// </summary>
    private bool DoTypesConflict(GraphQLType type1, GraphQLType type2)
    {
        while (true)
        {
            if (ReferenceEquals(type1, type2))
            {
                return false;
            }

            Spend(1);
            switch (type1, type2)
            {
                case (ListType list1, ListType list2):
                    (type1, type2) = (list1.OfType, list2.OfType);
                    continue;
                case (ListType, _) or (_, ListType):
                    return true;
                case (NonNullType nonNull1, NonNullType nonNull2):
                    (type1, type2) = (nonNull1.OfType, nonNull2.OfType);
                    continue;
                case (NonNullType, _) or (_, NonNullType):
                    return true;
                default:
                    return type1.IsLeafType || type2.IsLeafType;
            }
        }
    }

    /// <summary>Conflicts between two fields' sub-fields, folded into one conflict about the two fields.</summary>
    private static FieldConflict? SubfieldConflicts(List<FieldConflict> conflicts, string responseName, FieldNode node1, FieldNode node2)
    {
        if (conflicts.Count == 0)
        {
            return null;
        }

        var reason = new StringBuilder();
        foreach (var conflict in conflicts)
        {
            if (reason.Length > 0)
            {
                reason.Append(" and ");
            }

            reason.Append("subfields \"").Append(Abbreviate(conflict.ResponseName)).Append("\" conflict because ").Append(conflict.Reason);
            if (reason.Length > MaxDetailLength)
            {
                break;
            }
        }

        return new FieldConflict(
            responseName,
            Abbreviate(reason.ToString()),
            ConflictNodes(node1, conflicts, first: true),
            ConflictNodes(node2, conflicts, first: false));
    }

    /// <summary>The enclosing field, then the conflicting sub-fields on one side, the deepest kept when there are too many.</summary>
    private static List<FieldNode> ConflictNodes(FieldNode node, List<FieldConflict> conflicts, bool first)
    {
        var nodes = new List<FieldNode> { node };
        foreach (var conflict in conflicts)
        {
            var side = first ? conflict.Fields1 : conflict.Fields2;
            var remaining = MaxConflictNodes - nodes.Count;
            nodes.AddRange(side.Count > remaining ? side[^remaining..] : side);
            if (nodes.Count == MaxConflictNodes)
            {
                break;
            }
        }

        return nodes;
    }

    private FieldCollection CollectFragment(FragmentDefinitionNode fragment) =>
        Collect(TypeInfo.TypeFromAst(context.Schema, fragment.TypeCondition) as NamedType, fragment.SelectionSet);

    /// <summary>The fields of a selection set as selected on a parent type; remembered per selection set and type.</summary>
    private FieldCollection Collect(NamedType? parentType, SelectionSetNode selectionSet)
    {
        if (!_collections.TryGetValue((parentType, selectionSet), out var collection))
        {
            collection = new FieldCollection();
            Collect(parentType, selectionSet, collection, new HashSet<string>(StringComparer.Ordinal));
            _collections[(parentType, selectionSet)] = collection;
        }

        return collection;
    }

    private void Collect(NamedType? parentType, SelectionSetNode selectionSet, FieldCollection collection, HashSet<string> fragmentNames)
    {
        foreach (var selection in selectionSet.Selections)
        {
            switch (selection)
            {
                case FieldNode field:
                    var responseName = field.ResponseKey;
                    if (!collection.Fields.TryGetValue(responseName, out var fields))
                    {
                        collection.Fields.Add(responseName, fields = []);
                    }

                    // Only fields the type declares: __typename has no definition here, as in graphql-js.
                    fields.Add(new SelectedField(parentType, field, (parentType as FieldsType)?.GetField(field.Name.Value)));
                    break;
                case FragmentSpreadNode spread:
                    if (fragmentNames.Add(spread.Name.Value))
                    {
                        collection.FragmentNames.Add(spread.Name.Value);
                    }

                    break;
                case InlineFragmentNode inline:
                    var inlineType = inline.TypeCondition is { } condition ? TypeInfo.TypeFromAst(context.Schema, condition) as NamedType : parentType;
                    Collect(inlineType, inline.SelectionSet, collection, fragmentNames);
                    break;
            }
        }
    }

    private static void AddConflict(List<FieldConflict> conflicts, FieldConflict? conflict)
    {
        if (conflict is not null)
        {
            conflicts.Add(conflict);
        }
    }

    private void Spend(int cost)
    {
        _remainingBudget -= cost;
        if (_remainingBudget < 0)
        {
            context.Abort();
        }
    }

    /// <summary>Fragments spreading fragments nest the comparison; a document nesting deeper than the stack allows is refused.</summary>
    private void EnsureStack()
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            context.Abort();
        }
    }
}

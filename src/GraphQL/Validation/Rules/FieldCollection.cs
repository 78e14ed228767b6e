using System.Runtime.CompilerServices;
using MusicSearch.GraphQL.Language.Ast;
using MusicSearch.GraphQL.Types;

namespace MusicSearch.GraphQL.Validation.Rules;

/// <summary>
/// The fields of one selection set by response name, its inline fragments' fields included, and the fragments it
/// spreads (by name, each once, not followed): what <see cref="FieldConflictFinder"/> compares. Comparisons made
/// with it are remembered on it.
/// </summary>
internal sealed class FieldCollection
{
    public OrderedDictionary<string, List<SelectedField>> Fields { get; } = new(StringComparer.Ordinal);

    public List<string> FragmentNames { get; } = [];

    /// <summary>Fragments already compared with these fields, and whether only as mutually exclusive.</summary>
    public Dictionary<string, bool> ComparedFragments { get; } = new(StringComparer.Ordinal);

    /// <summary>The response names this collection shares with another.</summary>
    public Dictionary<FieldCollection, List<SharedResponseName>> Overlaps { get; } = new(ReferenceEqualityComparer.Instance);
}

/// <summary>A response name two collections share, with each one's fields of that name.</summary>
internal readonly record struct SharedResponseName(string ResponseName, List<SelectedField> Fields1, List<SelectedField> Fields2);

/// <summary>A field as selected on a parent type, with its definition there if it has one.</summary>
internal sealed class SelectedField(NamedType? parentType, FieldNode node, FieldDefinition? definition)
{
    private SelectedFieldInfo? _info;

    public NamedType? ParentType { get; } = parentType;

    public FieldNode Node { get; } = node;

    public FieldDefinition? Definition { get; } = definition;

    /// <summary>No arguments and no selection set: two such fields of one name and type never conflict.</summary>
    public bool IsSimpleLeaf { get; } = node.Arguments.Count == 0 && node.SelectionSet is null;

    /// <summary>Prepared only for fields that meet another of their response name.</summary>
    public SelectedFieldInfo Info => _info ??= new SelectedFieldInfo(this);
}

internal sealed class SelectedFieldInfo
{
    public SelectedFieldInfo(SelectedField field)
    {
        NamedType = field.Definition?.Type.Named;
        var arguments = field.Node.Arguments;
        if (arguments.Count > 0)
        {
            Arguments = arguments;
            ArgumentValues = new Dictionary<string, ValueNode>(StringComparer.Ordinal);
            foreach (var argument in arguments)
            {
                ArgumentValues[argument.Name.Value] = argument.Value;
            }
        }
    }

    public NamedType? NamedType { get; }

    /// <summary>Null when the field has no arguments.</summary>
    public IReadOnlyList<ArgumentNode>? Arguments { get; }

    /// <summary>The value of each argument by name; the last one for a name given twice.</summary>
    public Dictionary<string, ValueNode>? ArgumentValues { get; }

    /// <summary>Why this field and another cannot merge by name and arguments (null: they can), once worked out.</summary>
    public Dictionary<SelectedFieldInfo, string?> Comparisons { get; } = new(ReferenceEqualityComparer.Instance);

    public string? TypeString { get; set; }
}

/// <summary>Why two fields of one response name cannot merge, and the field nodes involved on each side.</summary>
internal sealed record FieldConflict(string ResponseName, string Reason, List<FieldNode> Fields1, List<FieldNode> Fields2);

/// <summary>Identifies a selection set walked for a parent type by reference: nodes are records, whose own equality is structural.</summary>
internal sealed class SelectionKeyComparer : IEqualityComparer<(NamedType? ParentType, SelectionSetNode SelectionSet)>
{
    public static SelectionKeyComparer Instance { get; } = new();

    public bool Equals((NamedType? ParentType, SelectionSetNode SelectionSet) x, (NamedType? ParentType, SelectionSetNode SelectionSet) y) =>
        ReferenceEquals(x.ParentType, y.ParentType) && ReferenceEquals(x.SelectionSet, y.SelectionSet);

    public int GetHashCode((NamedType? ParentType, SelectionSetNode SelectionSet) obj) =>
        HashCode.Combine(RuntimeHelpers.GetHashCode(obj.ParentType), RuntimeHelpers.GetHashCode(obj.SelectionSet));
}

using MusicSearch.GraphQL.Language.Ast;

namespace MusicSearch.GraphQL.Execution;

/// <summary>
/// The fields a selection set selects on one object type, grouped by response key in first-seen order (spec 6.3.2
/// CollectFields). The keys list is what every <see cref="ResultObject"/> completed from it shares.
/// </summary>
internal sealed class CollectedFields
{
    private readonly List<string> _keys = [];
    private readonly List<List<FieldNode>> _nodes = [];
    private readonly Dictionary<string, int> _indexes = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Keys => _keys;

    public int Count => _keys.Count;

    /// <summary>The field nodes of response key <paramref name="index"/>: several when a key is selected more than once.</summary>
    public IReadOnlyList<FieldNode> NodesAt(int index) => _nodes[index];

    public void Add(FieldNode field)
    {
        var key = field.ResponseKey;
        if (_indexes.TryGetValue(key, out var index))
        {
            _nodes[index].Add(field);
            return;
        }

        _indexes[key] = _keys.Count;
        _keys.Add(key);
        _nodes.Add([field]);
    }
}

namespace MusicSearch.GraphQL.Execution;

/// <summary>
/// A bounded least-recently-used map from document text to its prepared form. Clients send the same few documents
/// over and over; parsing and validating each once is most of what makes a request cheap.
/// </summary>
internal sealed class DocumentCache<TValue>(int capacity)
    where TValue : class
{
    private readonly Dictionary<string, LinkedListNode<(string Key, TValue Value)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, TValue Value)> _recency = new();

    public TValue GetOrAdd(string key, Func<string, TValue> create)
    {
        lock (_entries)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                return node.Value.Value;
            }
        }

        // Prepared outside the lock: two requests may both prepare a new document, which is harmless.
        var value = create(key);
        lock (_entries)
        {
            if (capacity <= 0 || _entries.ContainsKey(key))
            {
                return value;
            }

            _entries[key] = _recency.AddFirst((key, value));
            if (_entries.Count > capacity)
            {
                _entries.Remove(_recency.Last!.Value.Key);
                _recency.RemoveLast();
            }
        }

        return value;
    }
}

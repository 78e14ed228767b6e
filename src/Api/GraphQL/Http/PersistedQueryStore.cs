using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace MusicSearch.Api.GraphQL.Http;

/// <summary>
/// Automatic persisted queries (Apollo's APQ): documents by the lowercase hex SHA-256 of their UTF-8 text, so that apps
/// send a 64-character hash instead of the whole query. Bounded by entries and by characters, least recently used out
/// first; a document is kept only once it was executed (see <see cref="GraphQLEndpoint"/>), so the store holds
/// documents that parse and validate, not whatever a client sends.
/// </summary>
public sealed class PersistedQueryStore(IOptions<GraphQLHttpOptions> options)
{
    private readonly Dictionary<string, LinkedListNode<(string Hash, string Query)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Hash, string Query)> _recency = new();
    private readonly int _maxEntries = options.Value.PersistedQueryEntries;
    private readonly long _maxCharacters = options.Value.PersistedQueryCharacters;
    private long _characters;

    public int Count
    {
        get
        {
            lock (_entries)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The lowercase hex SHA-256 of the document's UTF-8 bytes, as clients compute it.</summary>
    public static string Hash(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(query)));
    }

    public bool TryGet(string hash, out string query)
    {
        ArgumentNullException.ThrowIfNull(hash);
        lock (_entries)
        {
            if (_entries.TryGetValue(hash, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                query = node.Value.Query;
                return true;
            }
        }
        query = "";
        return false;
    }

    /// <summary>Keeps <paramref name="query"/> under its hash (which the caller checked), evicting the least recently used as needed.</summary>
    public void Add(string hash, string query)
    {
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentNullException.ThrowIfNull(query);
        if (query.Length > _maxCharacters)
        {
            return;
        }
        lock (_entries)
        {
            if (_entries.ContainsKey(hash))
            {
                return;
            }
            _entries[hash] = _recency.AddFirst((hash, query));
            _characters += query.Length;
            while (_entries.Count > _maxEntries || _characters > _maxCharacters)
            {
                var oldest = _recency.Last!.Value;
                _recency.RemoveLast();
                _entries.Remove(oldest.Hash);
                _characters -= oldest.Query.Length;
            }
        }
    }
}

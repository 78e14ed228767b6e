namespace MusicSearch.GraphQL.Execution;

/// <summary>
/// Where a value sits in the response: a chain of response keys (strings) and list indexes (ints) from the root,
/// shared between siblings so that extending it costs one small object.
/// </summary>
public sealed class ResponsePath
{
    private ResponsePath(ResponsePath? parent, object key)
    {
        Parent = parent;
        Key = key;
    }

    public ResponsePath? Parent { get; }

    /// <summary>A response key (<see cref="string"/>) or a list index (<see cref="int"/>).</summary>
    public object Key { get; }

    public static ResponsePath Root(string key) => new(null, key);

    public ResponsePath Append(string key) => new(this, key);

    public ResponsePath Append(int index) => new(this, index);

    /// <summary>The keys from the root down to this one, as the error's <c>path</c>.</summary>
    public IReadOnlyList<object> ToList()
    {
        var keys = new List<object>();
        for (var path = this; path is not null; path = path.Parent)
        {
            keys.Add(path.Key);
        }

        keys.Reverse();
        return keys;
    }

    public override string ToString() => string.Join(".", ToList());
}

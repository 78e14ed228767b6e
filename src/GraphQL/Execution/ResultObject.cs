namespace MusicSearch.GraphQL.Execution;

/// <summary>
/// The value of an object in the response: one slot per response key, in the order the fields were selected. The
/// keys are shared with every object completed from the same selection, so an object costs its values only.
/// </summary>
public sealed class ResultObject
{
    /// <summary>Marks a selected field the schema does not know: graphql-js leaves it out of the response.</summary>
    internal static readonly object Omitted = new();

    private readonly object?[] _values;

    internal ResultObject(IReadOnlyList<string> keys)
    {
        Keys = keys;
        _values = new object?[keys.Count];
    }

    public IReadOnlyList<string> Keys { get; }

    /// <summary>The value of each key: null, a string, number or boolean, a list (<c>object?[]</c>) or another <see cref="ResultObject"/>.</summary>
    public object? this[int index] => _values[index];

    /// <summary>The value of a response key; null when absent.</summary>
    public object? this[string key]
    {
        get
        {
            for (var i = 0; i < Keys.Count; i++)
            {
                if (Keys[i] == key && !ReferenceEquals(_values[i], Omitted))
                {
                    return _values[i];
                }
            }

            return null;
        }
    }

    internal void Set(int index, object? value) => _values[index] = value;

    internal bool IsOmitted(int index) => ReferenceEquals(_values[index], Omitted);
}

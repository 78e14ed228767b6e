namespace MusicSearch.Core.Vectors;

/// <summary>A fixed-size bitset of row indices, used as a search candidate filter; rows beyond its size are excluded.</summary>
public sealed class RowSet
{
    private readonly ulong[] _words;

    public RowSet(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        Size = size;
        _words = new ulong[(size + 63) >> 6];
    }

    public int Size { get; }

    public void Add(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Size);
        _words[row >> 6] |= 1UL << row;
    }

    public void Remove(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Size);
        _words[row >> 6] &= ~(1UL << row);
    }

    public bool Contains(int row) => (uint)row < (uint)Size && (_words[row >> 6] & (1UL << row)) != 0;
}

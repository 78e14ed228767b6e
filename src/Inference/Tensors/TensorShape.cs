using System.Globalization;
using System.Text;

namespace MusicSearch.Inference.Tensors;

/// <summary>
/// The dimensions of a row-major, contiguous tensor of rank 1 to 4. Every dimension is at least 1 and the
/// element count fits an <see cref="int"/>, so kernels can address a tensor with one span. A value type with
/// inline dimensions, so describing a shape never allocates.
/// </summary>
public readonly struct TensorShape : IEquatable<TensorShape>
{
    public const int MaxRank = 4;

    private readonly int _d0, _d1, _d2, _d3;

    public TensorShape(int d0) : this(1, d0, 1, 1, 1) { }

    public TensorShape(int d0, int d1) : this(2, d0, d1, 1, 1) { }

    public TensorShape(int d0, int d1, int d2) : this(3, d0, d1, d2, 1) { }

    public TensorShape(int d0, int d1, int d2, int d3) : this(4, d0, d1, d2, d3) { }

    private TensorShape(int rank, int d0, int d1, int d2, int d3)
    {
        if (d0 < 1 || d1 < 1 || d2 < 1 || d3 < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(d0), $"Every tensor dimension must be at least 1, found {Describe(rank, d0, d1, d2, d3)}.");
        }
        var count = (long)d0 * d1 * d2 * d3;
        if (count > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(d0),
                $"A tensor of shape {Describe(rank, d0, d1, d2, d3)} has {count} elements, more than one span can address.");
        }
        Rank = rank;
        _d0 = d0;
        _d1 = d1;
        _d2 = d2;
        _d3 = d3;
        ElementCount = (int)count;
    }

    /// <summary>A shape from a dimension list such as a safetensors header's.</summary>
    public static TensorShape Of(IReadOnlyList<long> dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        Span<int> dims = stackalloc int[MaxRank];
        if (dimensions.Count is < 1 or > MaxRank)
        {
            throw new ArgumentException($"A tensor has rank 1 to {MaxRank}, found rank {dimensions.Count}.", nameof(dimensions));
        }
        for (var i = 0; i < dimensions.Count; i++)
        {
            if (dimensions[i] is < 1 or > int.MaxValue)
            {
                throw new ArgumentException($"Dimension {i} is {dimensions[i]}; every dimension must lie in [1, {int.MaxValue}].", nameof(dimensions));
            }
            dims[i] = (int)dimensions[i];
        }
        return dimensions.Count switch
        {
            1 => new TensorShape(dims[0]),
            2 => new TensorShape(dims[0], dims[1]),
            3 => new TensorShape(dims[0], dims[1], dims[2]),
            _ => new TensorShape(dims[0], dims[1], dims[2], dims[3]),
        };
    }

    /// <summary>1 to 4; 0 only for <c>default</c>, which no tensor has.</summary>
    public int Rank { get; }

    public int ElementCount { get; }

    /// <summary>A dimension by axis; negative axes count from the end (-1 is the last).</summary>
    public int this[int axis]
    {
        get
        {
            var index = axis < 0 ? axis + Rank : axis;
            if ((uint)index >= (uint)Rank)
            {
                throw new ArgumentOutOfRangeException(nameof(axis), $"Axis {axis} does not exist in a rank-{Rank} shape.");
            }
            return index switch
            {
                0 => _d0,
                1 => _d1,
                2 => _d2,
                _ => _d3,
            };
        }
    }

    /// <summary>The last dimension: features of a [.., C] activation, time of a [B, C, T] one.</summary>
    public int Last => this[-1];

    /// <summary>Product of all dimensions but the last: the row count when the tensor is viewed as a matrix.</summary>
    public int Rows => ElementCount / Last;

    /// <summary>This shape with the last dimension replaced.</summary>
    public TensorShape WithLast(int last) => Rank switch
    {
        1 => new TensorShape(last),
        2 => new TensorShape(_d0, last),
        3 => new TensorShape(_d0, _d1, last),
        _ => new TensorShape(_d0, _d1, _d2, last),
    };

    public bool Equals(TensorShape other) =>
        Rank == other.Rank && _d0 == other._d0 && _d1 == other._d1 && _d2 == other._d2 && _d3 == other._d3;

    public override bool Equals(object? obj) => obj is TensorShape other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Rank, _d0, _d1, _d2, _d3);

    public static bool operator ==(TensorShape left, TensorShape right) => left.Equals(right);

    public static bool operator !=(TensorShape left, TensorShape right) => !left.Equals(right);

    public override string ToString() => Describe(Rank, _d0, _d1, _d2, _d3);

    private static string Describe(int rank, int d0, int d1, int d2, int d3)
    {
        var text = new StringBuilder("[");
        ReadOnlySpan<int> dims = [d0, d1, d2, d3];
        for (var i = 0; i < rank; i++)
        {
            text.Append(i == 0 ? "" : ", ").Append(dims[i].ToString(CultureInfo.InvariantCulture));
        }
        return text.Append(']').ToString();
    }
}

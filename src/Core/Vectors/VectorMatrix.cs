namespace MusicSearch.Core.Vectors;

/// <summary>
/// Append-only, row-major float32 vectors of one fixed dimension, every row L2-normalised on insert so that an inner
/// product is the cosine similarity. Rows are contiguous with a stride padded to a multiple of 8 floats (zeros in the
/// padding), so the search kernels run whole 256-bit lanes with no tail. Optionally keeps int8 codes alongside (see
/// <see cref="EnableInt8Codes"/>). Reads may run concurrently with each other, but not with <see cref="Add"/>.
/// </summary>
public sealed class VectorMatrix
{
    private float[] _values;
    private byte[]? _codes;
    private float[]? _codeScales;

    public VectorMatrix(int dimensions, int initialCapacity = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        Dimensions = dimensions;
        Stride = (dimensions + 7) & ~7;
        CodeStride = (dimensions + 63) & ~63;
        _values = new float[(long)Stride * initialCapacity];
    }

    public int Dimensions { get; }

    public int Count { get; private set; }

    public int Capacity => _values.Length / Stride;

    /// <summary>Whether int8 codes are kept for <see cref="VectorSearch.SearchInt8"/>.</summary>
    public bool HasInt8Codes => _codes is not null;

    internal int Stride { get; }

    internal int CodeStride { get; }

    internal float[] Values => _values;

    /// <summary>The int8 codes c ∈ [-127, 127] of each row, stored as unsigned bytes c + 128: the operand form of vpmaddubsw.</summary>
    internal byte[] Codes => _codes ?? throw new InvalidOperationException("int8 codes are not enabled; call EnableInt8Codes first");

    internal float[] CodeScales => _codeScales ?? throw new InvalidOperationException("int8 codes are not enabled; call EnableInt8Codes first");

    /// <summary>Normalises <paramref name="vector"/> and appends it; returns its row index.</summary>
    public int Add(ReadOnlySpan<float> vector)
    {
        VectorMath.CheckVector(vector, Dimensions, nameof(vector));
        EnsureCapacity(Count + 1);
        var row = Count;
        var destination = _values.AsSpan(row * Stride, Stride);
        VectorMath.Normalise(vector, destination, nameof(vector));
        if (_codes is not null)
        {
            if (_codes.Length < _values.Length / Stride * CodeStride)
            {
                Array.Resize(ref _codes, _values.Length / Stride * CodeStride);
            }
            Encode(destination[..Dimensions], _codes.AsSpan(row * CodeStride, CodeStride));
        }
        Count = row + 1;
        return row;
    }

    /// <summary>The stored (normalised) vector of <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> Row(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Count);
        return _values.AsSpan(row * Stride, Dimensions);
    }

    /// <summary>Grows the storage to hold <paramref name="rows"/> rows, doubling so appends stay amortised O(1).</summary>
    public void EnsureCapacity(int rows)
    {
        if (rows <= Capacity)
        {
            return;
        }
        var capacity = Math.Max(rows, Math.Max(16, Capacity * 2));
        if ((long)capacity * Math.Max(Stride, CodeStride) > Array.MaxLength)
        {
            throw new InvalidOperationException($"a matrix of {capacity} × {Dimensions} exceeds the largest array");
        }
        Array.Resize(ref _values, capacity * Stride);
        if (_codes is not null)
        {
            Array.Resize(ref _codes, capacity * CodeStride);
        }
    }

    /// <summary>
    /// Starts keeping int8 codes: a symmetric per-dimension scale is calibrated from the rows present now (largest
    /// magnitude per dimension maps to ±127), every row is encoded, and later rows are encoded on insert with the same
    /// scales, clamped. Symmetric scales keep the integer dot product proportional to the approximate float one, so the
    /// ranking needs no per-row offset. Calibrate once enough representative rows are in.
    /// </summary>
    public void EnableInt8Codes()
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("int8 codes are calibrated from the rows present; add rows first");
        }
        var maxima = new float[Dimensions];
        for (var row = 0; row < Count; row++)
        {
            var values = _values.AsSpan(row * Stride, Dimensions);
            for (var d = 0; d < values.Length; d++)
            {
                maxima[d] = Math.Max(maxima[d], Math.Abs(values[d]));
            }
        }
        _codeScales = new float[Dimensions];
        for (var d = 0; d < maxima.Length; d++)
        {
            _codeScales[d] = maxima[d] > 0 ? 127f / maxima[d] : 0f;
        }
        _codes = new byte[Capacity * CodeStride];
        for (var row = 0; row < Count; row++)
        {
            Encode(_values.AsSpan(row * Stride, Dimensions), _codes.AsSpan(row * CodeStride, CodeStride));
        }
    }

    private void Encode(ReadOnlySpan<float> values, Span<byte> codes)
    {
        var scales = _codeScales!;
        for (var d = 0; d < values.Length; d++)
        {
            codes[d] = (byte)(Math.Clamp(MathF.Round(values[d] * scales[d]), -127f, 127f) + 128);
        }
    }
}

namespace MusicSearch.Inference.Tensors;

/// <summary>
/// A shaped view of backend memory: fp32, row-major, contiguous, rank 1 to 4. A value type, so creating a view
/// (<see cref="Reshape(TensorShape)"/>, <see cref="Slice"/>) costs nothing and never allocates. The memory
/// belongs to the backend (weights) or to a <see cref="Backends.Workspace"/> (activations); host code reads
/// and writes it only through <see cref="Backends.IComputeBackend.Upload(ReadOnlySpan{float}, Tensor)"/> and
/// <see cref="Backends.IComputeBackend.Download"/>, which is what lets the same layer code drive a GPU.
/// </summary>
public readonly struct Tensor
{
    internal Tensor(TensorStorage storage, long offset, TensorShape shape)
        : this(storage, offset, shape, storage.Generation)
    {
    }

    private Tensor(TensorStorage storage, long offset, TensorShape shape, int generation)
    {
        if (offset < 0 || offset + shape.ElementCount > storage.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset),
                $"A view of {shape} at element {offset} does not fit a storage of {storage.Length} elements.");
        }
        Storage = storage;
        Offset = offset;
        Shape = shape;
        Generation = generation;
    }

    public TensorShape Shape { get; }

    public int ElementCount => Shape.ElementCount;

    /// <summary>The device the memory lives on, or <c>none</c> for <c>default(Tensor)</c>.</summary>
    public string Device => Storage?.Device ?? "none";

    /// <summary>False for <c>default(Tensor)</c>, after the owning workspace was reset, and after the storage was freed.</summary>
    public bool IsValid => Storage is not null && Storage.Generation == Generation;

    internal TensorStorage? Storage { get; }

    /// <summary>Element offset of the view's first element in <see cref="Storage"/>.</summary>
    internal long Offset { get; }

    internal int Generation { get; }

    /// <summary>The same elements under another shape of equal element count.</summary>
    public Tensor Reshape(TensorShape shape)
    {
        var storage = ValidStorage();
        if (shape.ElementCount != ElementCount)
        {
            throw new ArgumentException($"Cannot view {Shape} ({ElementCount} elements) as {shape} ({shape.ElementCount} elements).", nameof(shape));
        }
        return new Tensor(storage, Offset, shape, Generation);
    }

    public Tensor Reshape(int d0) => Reshape(new TensorShape(d0));

    public Tensor Reshape(int d0, int d1) => Reshape(new TensorShape(d0, d1));

    public Tensor Reshape(int d0, int d1, int d2) => Reshape(new TensorShape(d0, d1, d2));

    public Tensor Reshape(int d0, int d1, int d2, int d3) => Reshape(new TensorShape(d0, d1, d2, d3));

    /// <summary>
    /// Entries <paramref name="start"/> … <paramref name="start"/>+<paramref name="count"/>−1 of the first axis
    /// (e.g. one clip of a batch); contiguous, so still a plain view.
    /// </summary>
    public Tensor Slice(int start, int count)
    {
        var storage = ValidStorage();
        var first = Shape[0];
        if (start < 0 || count < 1 || start + count > first)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"Slice [{start}, {start + count}) is outside the first axis of {Shape}.");
        }
        var inner = ElementCount / first;
        var shape = Shape.Rank switch
        {
            1 => new TensorShape(count),
            2 => new TensorShape(count, Shape[1]),
            3 => new TensorShape(count, Shape[1], Shape[2]),
            _ => new TensorShape(count, Shape[1], Shape[2], Shape[3]),
        };
        return new Tensor(storage, Offset + (long)start * inner, shape, Generation);
    }

    /// <summary>Whether the two views share at least one element.</summary>
    internal bool Overlaps(Tensor other) =>
        Storage is not null && ReferenceEquals(Storage, other.Storage)
        && Offset < other.Offset + other.ElementCount && other.Offset < Offset + ElementCount;

    /// <summary>Whether both views cover exactly the same elements (an in-place operation).</summary>
    internal bool SameElements(Tensor other) =>
        Storage is not null && ReferenceEquals(Storage, other.Storage) && Offset == other.Offset && ElementCount == other.ElementCount;

    public override string ToString() => $"Tensor{Shape} on {Device}{(Storage is not null && !IsValid ? " (stale)" : "")}";

    private TensorStorage ValidStorage()
    {
        if (Storage is null)
        {
            throw new InvalidOperationException("The tensor is default(Tensor); allocate it from a workspace or upload it.");
        }
        return Storage;
    }
}

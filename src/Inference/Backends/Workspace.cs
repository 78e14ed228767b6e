using MusicSearch.Inference.Tensors;

namespace MusicSearch.Inference.Backends;

/// <summary>
/// The arena a forward pass allocates its activations from (<see cref="IComputeBackend.CreateWorkspace"/>).
/// <para>
/// A bump allocator over a few large device blocks: <see cref="Allocate(TensorShape)"/> moves a cursor, and a
/// block is added only when the current ones are full. <see cref="Reset"/> (between forward passes) and the
/// end of the outermost <see cref="BeginScope"/> replace several blocks by one block as large as the peak
/// use seen so far, so the first forward pass sizes the arena and every later pass of the same shapes
/// allocates nothing, managed or native: it only moves the cursor.
/// </para>
/// <para>
/// <see cref="BeginScope"/> returns a mark; disposing it frees everything allocated after it. Allocate a
/// layer's output first, open a scope, compute the layer's temporaries, close the scope: the arena then
/// peaks at the largest layer instead of the sum of all layers.
/// </para>
/// <para>
/// Memory is not initialised; every op writes its whole output. Views allocated before a
/// <see cref="Reset"/> become invalid and ops reject them. A workspace is used by one thread at a time.
/// </para>
/// </summary>
public sealed class Workspace : IDisposable
{
    /// <summary>64 bytes: every tensor starts on a cache line (and an AVX-512 / GPU-friendly boundary).</summary>
    internal const int AlignmentElements = 16;

    private readonly Func<long, TensorStorage> _allocateBlock;
    private readonly long _minimumBlockElements;
    private readonly List<TensorStorage> _blocks = [];
    private int _block;
    private long _cursor;
    private long _inUse;
    private long _peak;
    private int _scopeDepth;
    private bool _disposed;

    /// <param name="device">Device name of the blocks.</param>
    /// <param name="allocateBlock">Allocates one block of the given element count on the device.</param>
    /// <param name="minimumBlockElements">Smallest block to allocate, so small first allocations do not each grow the arena.</param>
    internal Workspace(string device, Func<long, TensorStorage> allocateBlock, long minimumBlockElements)
    {
        Device = device;
        _allocateBlock = allocateBlock;
        _minimumBlockElements = Math.Max(AlignmentElements, minimumBlockElements);
    }

    public string Device { get; }

    /// <summary>Bytes currently handed out (alignment included).</summary>
    public long BytesInUse => _inUse * sizeof(float);

    /// <summary>The high-water mark of <see cref="BytesInUse"/> since the workspace was created.</summary>
    public long PeakBytes => _peak * sizeof(float);

    /// <summary>Device memory the workspace holds.</summary>
    public long CapacityBytes
    {
        get
        {
            long total = 0;
            foreach (var block in _blocks)
            {
                total += block.Length;
            }
            return total * sizeof(float);
        }
    }

    /// <summary>How many device allocations the workspace has made; constant once the arena is sized.</summary>
    public int AllocationCount { get; private set; }

    public bool IsDisposed => _disposed;

    public Tensor Allocate(TensorShape shape)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (shape.Rank == 0)
        {
            throw new ArgumentException("default(TensorShape) has no elements; give the dimensions.", nameof(shape));
        }
        var length = (shape.ElementCount + (long)AlignmentElements - 1) / AlignmentElements * AlignmentElements;
        while (true)
        {
            if (_block < _blocks.Count)
            {
                var block = _blocks[_block];
                if (_cursor + length <= block.Length)
                {
                    var tensor = new Tensor(block, _cursor, shape);
                    _cursor += length;
                    _inUse += length;
                    _peak = Math.Max(_peak, _inUse);
                    return tensor;
                }
                if (_block + 1 < _blocks.Count)
                {
                    _block++;
                    _cursor = 0;
                    continue;
                }
            }
            // Doubling keeps the number of blocks of the first pass logarithmic in its peak.
            var size = Math.Max(length, Math.Max(_minimumBlockElements, CapacityBytes / sizeof(float)));
            _blocks.Add(_allocateBlock(size));
            AllocationCount++;
            _block = _blocks.Count - 1;
            _cursor = 0;
        }
    }

    public Tensor Allocate(int d0) => Allocate(new TensorShape(d0));

    public Tensor Allocate(int d0, int d1) => Allocate(new TensorShape(d0, d1));

    public Tensor Allocate(int d0, int d1, int d2) => Allocate(new TensorShape(d0, d1, d2));

    public Tensor Allocate(int d0, int d1, int d2, int d3) => Allocate(new TensorShape(d0, d1, d2, d3));

    /// <summary>A mark; disposing it (once, in reverse order of nesting) frees everything allocated since.</summary>
    public WorkspaceScope BeginScope()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _scopeDepth++;
        return new WorkspaceScope(this, _scopeDepth, _block, _cursor, _inUse);
    }

    internal void EndScope(int depth, int block, long cursor, long inUse)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (depth != _scopeDepth)
        {
            throw new InvalidOperationException(
                $"Workspace scopes must end once each, innermost first: ending scope {depth} while {_scopeDepth} is the innermost open one.");
        }
        _scopeDepth--;
        _block = block;
        _cursor = cursor;
        _inUse = inUse;
        if (_inUse == 0)
        {
            Consolidate();
        }
    }

    /// <summary>Frees every allocation at once (between forward passes); all earlier views become invalid.</summary>
    public void Reset()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (var block in _blocks)
        {
            block.Invalidate();
        }
        _block = 0;
        _cursor = 0;
        _inUse = 0;
        _scopeDepth = 0;
        Consolidate();
    }

    /// <summary>With nothing allocated, swaps the blocks of a growing pass for one block of the peak size.</summary>
    private void Consolidate()
    {
        if (_blocks.Count <= 1)
        {
            return;
        }
        foreach (var block in _blocks)
        {
            block.Dispose();
        }
        _blocks.Clear();
        _blocks.Add(_allocateBlock(Math.Max(_peak, _minimumBlockElements)));
        AllocationCount++;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        foreach (var block in _blocks)
        {
            block.Dispose();
        }
        _blocks.Clear();
    }
}

/// <summary>A <see cref="Workspace"/> mark; see <see cref="Workspace.BeginScope"/>.</summary>
public readonly struct WorkspaceScope : IDisposable
{
    private readonly Workspace? _workspace;
    private readonly int _depth;
    private readonly int _block;
    private readonly long _cursor;
    private readonly long _inUse;

    internal WorkspaceScope(Workspace workspace, int depth, int block, long cursor, long inUse)
    {
        _workspace = workspace;
        _depth = depth;
        _block = block;
        _cursor = cursor;
        _inUse = inUse;
    }

    public void Dispose() => _workspace?.EndScope(_depth, _block, _cursor, _inUse);
}

using MusicSearch.Inference.Tensors;

namespace MusicSearch.Inference.Backends.Cpu;

/// <summary>
/// The CPU backend: GEMMs through OpenBLAS <c>cblas_sgemm</c>, every other op as AVX2 (<c>Vector256</c>)
/// kernels on 64-byte-aligned native memory.
/// <para>
/// <b>Thread policy.</b> One thread count N (default: all cores) and one thread team: a private pool of N − 1
/// threads plus the caller (<see cref="WorkerPool"/>) runs every kernel, GEMMs included. Ops run one after
/// another on the caller's thread. A GEMM is cut into parts, each a single-threaded OpenBLAS call on a pool
/// thread (<c>Gemm</c>); attention takes whole heads per thread, the Winograd convolutions whole GEMMs.
/// OpenBLAS's own threads never start, so none spin on the cores after a GEMM while the pool needs them.
/// OpenBLAS is process state: GEMM jobs of all CPU backends in a process take turns behind one gate (see
/// <see cref="OpenBlas"/>), so backends with different thread counts can run side by side. Kernels below about
/// 32 K elements run on the caller alone, where a hand-off would cost more than it saves.
/// </para>
/// <para>
/// <b>JIT.</b> Kernels and job bodies are marked <see cref="System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization"/>:
/// with tiered compilation, a kernel that a forward pass calls a few times (the STFT, each convolution) would
/// otherwise run as unoptimised tier-0 code, its vector helpers not inlined, for the first passes of a process.
/// </para>
/// </summary>
public sealed unsafe partial class CpuBackend : IComputeBackend
{
    /// <summary>Work items below this many elements stay on the calling thread.</summary>
    private const int Grain = 1 << 15;

    /// <summary>
    /// im2col tiles are capped at this many elements (16 MiB): large enough that the GEMM's N dimension stays
    /// in the hundreds (full OpenBLAS speed), small enough that a 30 s Res2d layer (4608 × 96 000 columns) needs
    /// 16 MiB of scratch instead of 1.7 GiB.
    /// </summary>
    private const int ColumnTileElements = 1 << 22;

    private const long ScratchBlockElements = 1 << 20;
    private const long WorkspaceBlockElements = 1 << 22;

    private readonly WorkerPool _pool;
    private readonly Workspace _scratch;
    private readonly List<IDisposable> _owned = [];
    private bool _disposed;

    /// <param name="threads">Threads for OpenBLAS and for the other kernels; 0 means one per core.</param>
    public CpuBackend(int threads = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        OpenBlas.EnsureLoaded();
        _pool = new WorkerPool(threads == 0 ? Environment.ProcessorCount : threads);
        _scratch = new Workspace(CpuStorage.DeviceName, static length => new CpuStorage(length), ScratchBlockElements);
    }

    public string DeviceName => CpuStorage.DeviceName;

    public int Threads => _pool.Threads;

    /// <summary>OpenBLAS's own description of its build (version, threading, CPU kernel).</summary>
    public static string BlasConfiguration
    {
        get
        {
            OpenBlas.EnsureLoaded();
            return OpenBlas.Configuration;
        }
    }

    /// <summary>Peak scratch memory of the ops so far (im2col tiles, attention scores).</summary>
    public long ScratchPeakBytes => _scratch.PeakBytes;

    /// <summary>Device allocations the scratch arena has made; constant once it is sized.</summary>
    public int ScratchAllocationCount => _scratch.AllocationCount;

    public Tensor Upload(ReadOnlySpan<float> values, TensorShape shape)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (values.Length != shape.ElementCount)
        {
            throw new ArgumentException($"{values.Length} values cannot fill a tensor of shape {shape}.", nameof(values));
        }
        var storage = Own(values);
        return new Tensor(storage, 0, shape);
    }

    public void Upload(ReadOnlySpan<float> values, Tensor destination)
    {
        var target = Resolve(destination, nameof(destination));
        if (values.Length != destination.ElementCount)
        {
            throw new ArgumentException($"{values.Length} values cannot fill {destination}.", nameof(values));
        }
        values.CopyTo(new Span<float>(target, values.Length));
    }

    public void Download(Tensor source, Span<float> destination)
    {
        var from = Resolve(source, nameof(source));
        if (destination.Length != source.ElementCount)
        {
            throw new ArgumentException($"{source} has {source.ElementCount} elements; the destination holds {destination.Length}.", nameof(destination));
        }
        new ReadOnlySpan<float>(from, destination.Length).CopyTo(destination);
    }

    public Workspace CreateWorkspace()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var workspace = new Workspace(CpuStorage.DeviceName, static length => new CpuStorage(length), WorkspaceBlockElements);
        _owned.RemoveAll(static owned => owned is Workspace { IsDisposed: true });
        _owned.Add(workspace);
        return workspace;
    }

    public PreparedLinear PrepareLinear(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int outFeatures, int inFeatures)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        if (weight.Length != (long)outFeatures * inFeatures)
        {
            throw new ArgumentException(
                $"A [{outFeatures}, {inFeatures}] Linear weight has {(long)outFeatures * inFeatures} elements, found {weight.Length}.", nameof(weight));
        }
        CheckBias(bias, outFeatures);
        return new CpuPreparedLinear(Own(weight), bias.IsEmpty ? null : Own(bias), outFeatures, inFeatures);
    }

    public PreparedConv1d PrepareConv1d(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Conv1dGeometry geometry)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        geometry.Validate();
        if (weight.Length != geometry.WeightLength)
        {
            throw new ArgumentException(
                $"A Conv1d weight [{geometry.OutChannels}, {geometry.InChannels / geometry.Groups}, {geometry.KernelSize}] " +
                $"has {geometry.WeightLength} elements, found {weight.Length}.",
                nameof(weight));
        }
        CheckBias(bias, geometry.OutChannels);
        return new CpuPreparedConv1d(Own(weight), bias.IsEmpty ? null : Own(bias), geometry);
    }

    public PreparedConv2d PrepareConv2d(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Conv2dGeometry geometry)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        geometry.Validate();
        if (weight.Length != geometry.WeightLength)
        {
            throw new ArgumentException(
                $"A Conv2d weight [{geometry.OutChannels}, {geometry.InChannels}, {geometry.KernelHeight}, {geometry.KernelWidth}] " +
                $"has {geometry.WeightLength} elements, found {weight.Length}.",
                nameof(weight));
        }
        CheckBias(bias, geometry.OutChannels);
        var winograd = CpuPreparedConv2d.Choose(geometry) switch
        {
            Conv2dMethod.Winograd => Own(WinogradKernels.TransformFilters(weight, geometry.OutChannels, geometry.InChannels)),
            Conv2dMethod.WinogradStrided => Own(StridedWinogradKernels.TransformFilters(weight, geometry.OutChannels, geometry.InChannels)),
            _ => null,
        };
        return new CpuPreparedConv2d(Own(weight), bias.IsEmpty ? null : Own(bias), winograd, geometry);
    }

    public PreparedStft PrepareStft(ReadOnlySpan<float> window, StftGeometry geometry)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        geometry.Validate();
        if (window.Length != geometry.NFft)
        {
            throw new ArgumentException($"The window must have n_fft = {geometry.NFft} values, found {window.Length}.", nameof(window));
        }
        return new CpuPreparedStft(window, geometry);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _pool.Dispose();
        _scratch.Dispose();
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
        _owned.Clear();
    }

    private CpuStorage Own(ReadOnlySpan<float> values)
    {
        var storage = new CpuStorage(values.Length);
        values.CopyTo(new Span<float>(storage.Pointer, values.Length));
        _owned.Add(storage);
        return storage;
    }

    private static void CheckBias(ReadOnlySpan<float> bias, int outFeatures)
    {
        if (!bias.IsEmpty && bias.Length != outFeatures)
        {
            throw new ArgumentException($"The bias must be empty or have {outFeatures} entries, found {bias.Length}.", nameof(bias));
        }
    }

    /// <summary>The element pointer of a tensor of this backend, after checking it is still valid.</summary>
    private float* Resolve(Tensor tensor, string name)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (tensor.Storage is not CpuStorage storage)
        {
            throw tensor.Storage is null
                ? new ArgumentException($"'{name}' is default(Tensor); allocate it from a workspace or upload it.", name)
                : new ArgumentException($"'{name}' lives on device '{tensor.Device}', not on '{DeviceName}'.", name);
        }
        if (storage.Generation != tensor.Generation)
        {
            throw new InvalidOperationException(
                $"'{name}' ({tensor}) is stale: its workspace was reset, or its memory freed, after it was allocated.");
        }
        return storage.Pointer + tensor.Offset;
    }

    private float* ResolveOptional(Tensor? tensor, int length, string name)
    {
        if (tensor is not { } value)
        {
            return null;
        }
        if (value.ElementCount != length || value.Shape.Rank != 1)
        {
            throw new ArgumentException($"'{name}' must be a [{length}] tensor, found {value.Shape}.", name);
        }
        return Resolve(value, name);
    }

    private static void RequireShape(Tensor tensor, TensorShape expected, string name)
    {
        if (tensor.Shape != expected)
        {
            throw new ArgumentException($"'{name}' must have shape {expected}, found {tensor.Shape}.", name);
        }
    }

    private static void RequireRank(Tensor tensor, int rank, string layout, string name)
    {
        if (tensor.Shape.Rank != rank)
        {
            throw new ArgumentException($"'{name}' must be {layout}, found {tensor.Shape}.", name);
        }
    }

    private static void RequireDisjoint(Tensor output, Tensor input, string inputName)
    {
        if (output.Overlaps(input))
        {
            throw new ArgumentException($"The output overlaps '{inputName}'; this op cannot run in place.", nameof(output));
        }
    }

    /// <summary>Element-wise ops may write over their input exactly, but not over part of it.</summary>
    private static void RequireInPlaceOrDisjoint(Tensor output, Tensor input, string inputName)
    {
        if (output.Overlaps(input) && !output.SameElements(input))
        {
            throw new ArgumentException($"The output partly overlaps '{inputName}'; use the same tensor or separate memory.", nameof(output));
        }
    }

    private static T Prepared<T>(object layer, string kind) where T : class =>
        layer as T ?? throw new ArgumentException(
            $"The {kind} was prepared by another backend ({layer.GetType().Name}), not by the CPU backend.", nameof(layer));

    /// <summary>Rows per chunk for row-wise kernels, so a chunk carries about <see cref="Grain"/> elements.</summary>
    private static int RowGrain(long rowLength) => (int)Math.Max(1, Grain / Math.Max(1, rowLength));
}

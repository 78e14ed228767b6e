using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MusicSearch.Inference.Backends.Cpu;

/// <summary>
/// A Linear kept in the checkpoint's [N, K] layout and multiplied as x·Wᵀ (CblasTrans): measured here,
/// OpenBLAS runs x·Wᵀ as fast as x·W with a pre-transposed [K, N] copy (within 2 % on the model's shapes),
/// so there is nothing to gain from transposing at load.
/// </summary>
internal sealed unsafe class CpuPreparedLinear(CpuStorage weight, CpuStorage? bias, int outFeatures, int inFeatures)
    : PreparedLinear(outFeatures, inFeatures, bias is not null)
{
    public float* Weight => weight.Pointer;

    public float* Bias => bias is null ? null : bias.Pointer;
}

/// <summary>
/// A Conv1d with its torch weight [out, in/groups, k], which per group is already the [out/g, in/g·k] GEMM operand,
/// and for a pointwise convolution whose rows are mostly zeros around one band (a mel filterbank over FFT bins) the
/// band of each output channel, so that only those inputs are read.
/// </summary>
internal sealed unsafe class CpuPreparedConv1d : PreparedConv1d
{
    /// <summary>Bands are used when they cover at most this fraction of the weight: below it, reading fewer rows beats a dense GEMM.</summary>
    private const int BandedFraction = 8;

    private readonly CpuStorage _weight;
    private readonly CpuStorage? _bias;
    private readonly int[]? _bands;

    public CpuPreparedConv1d(CpuStorage weight, CpuStorage? bias, Conv1dGeometry geometry) : base(geometry, bias is not null)
    {
        _weight = weight;
        _bias = bias;
        if (IsPointwise)
        {
            _bands = FindBands(new ReadOnlySpan<float>(weight.Pointer, geometry.WeightLength), geometry.OutChannels, geometry.InChannels);
        }
    }

    public float* Weight => _weight.Pointer;

    public float* Bias => _bias is null ? null : _bias.Pointer;

    /// <summary>One filter per channel: runs as a direct convolution instead of a GEMM of one-column rows.</summary>
    public bool IsDepthwise => Geometry.Groups == Geometry.InChannels && Geometry.Groups == Geometry.OutChannels;

    /// <summary>k = 1, stride 1, no padding, one group: the input itself is the GEMM operand, no im2col.</summary>
    public bool IsPointwise =>
        Geometry is { KernelSize: 1, Stride: 1, PaddingLeft: 0, PaddingRight: 0, Groups: 1 };

    /// <summary>
    /// Pointwise and banded: (first, last + 1) input channel of each output channel's non-zero weights, [out, 2];
    /// null when the weight is dense enough for a GEMM.
    /// </summary>
    public int[]? Bands => _bands;

    private static int[]? FindBands(ReadOnlySpan<float> weight, int outChannels, int inChannels)
    {
        var bands = new int[2 * outChannels];
        long covered = 0;
        for (var o = 0; o < outChannels; o++)
        {
            var row = weight.Slice(o * inChannels, inChannels);
            var first = row.IndexOfAnyExcept(0f);
            var end = first < 0 ? 0 : row.LastIndexOfAnyExcept(0f) + 1;
            (bands[2 * o], bands[2 * o + 1]) = (Math.Max(first, 0), end);
            covered += end - Math.Max(first, 0);
        }
        return covered * BandedFraction <= (long)outChannels * inChannels ? bands : null;
    }
}

/// <summary>How the CPU backend runs a Conv2d, chosen once from its geometry.</summary>
internal enum Conv2dMethod
{
    /// <summary>1×1, stride 1, no padding: the input planes are the GEMM operand.</summary>
    Pointwise,

    /// <summary>Few input channels (the mel image's one): taps gathered per output row, FMAs over output channels.</summary>
    Direct,

    /// <summary>3×3, stride 1, padding 1, enough channels to amortise the transforms: Winograd F(4×4, 3×3).</summary>
    Winograd,

    /// <summary>3×3, stride 2, padding 1, as many channels: Winograd on the input phases (<see cref="StridedWinogradKernels"/>).</summary>
    WinogradStrided,

    /// <summary>Everything else: im2col tiles and a GEMM.</summary>
    Columns,
}

/// <summary>
/// A Conv2d with its torch weight [out, in, kh, kw] (the [out, in·kh·kw] GEMM operand, and the direct kernel's
/// taps) and, for the Winograd methods, the transformed filters [36][out][in].
/// </summary>
internal sealed unsafe class CpuPreparedConv2d(CpuStorage weight, CpuStorage? bias, CpuStorage? winograd, Conv2dGeometry geometry)
    : PreparedConv2d(geometry, bias is not null)
{
    /// <summary>Input channels up to which the direct kernel beats im2col + GEMM (its tap rows grow with them).</summary>
    public const int DirectMaxInChannels = 4;

    /// <summary>Input channels from which Winograd's transforms cost less than the multiplications they save.</summary>
    public const int WinogradMinInChannels = 8;

    public float* Weight => weight.Pointer;

    public float* Bias => bias is null ? null : bias.Pointer;

    public float* WinogradFilters => winograd is null ? null : winograd.Pointer;

    public Conv2dMethod Method { get; } = Choose(geometry);

    public static Conv2dMethod Choose(Conv2dGeometry g) => g switch
    {
        { KernelHeight: 1, KernelWidth: 1, StrideHeight: 1, StrideWidth: 1, PaddingHeight: 0, PaddingWidth: 0 } => Conv2dMethod.Pointwise,
        { InChannels: <= DirectMaxInChannels } => Conv2dMethod.Direct,
        { KernelHeight: 3, KernelWidth: 3, StrideHeight: 1, StrideWidth: 1, PaddingHeight: 1, PaddingWidth: 1, InChannels: >= WinogradMinInChannels }
            => Conv2dMethod.Winograd,
        { KernelHeight: 3, KernelWidth: 3, StrideHeight: 2, StrideWidth: 2, PaddingHeight: 1, PaddingWidth: 1, InChannels: >= WinogradMinInChannels }
            => Conv2dMethod.WinogradStrided,
        _ => Conv2dMethod.Columns,
    };
}

/// <summary>
/// A short-time spectrum as FFTs: an even n_fft runs as a complex FFT of n_fft/2 points on the even and odd
/// samples packed as real and imaginary parts, then split into the n_fft/2 + 1 bins with the twiddles W_N^k; an
/// odd n_fft runs as a complex FFT of n_fft points with zero imaginary parts. Window, plan and split twiddles are
/// pinned arrays made here, once.
/// </summary>
internal sealed unsafe class CpuPreparedStft : PreparedStft
{
    private readonly float[] _window;
    private readonly float[] _split;

    public CpuPreparedStft(ReadOnlySpan<float> window, StftGeometry geometry) : base(geometry)
    {
        IsPacked = geometry.NFft % 2 == 0;
        Plan = new FftPlan(IsPacked ? geometry.NFft / 2 : geometry.NFft);
        _window = GC.AllocateArray<float>(geometry.NFft, pinned: true);
        window.CopyTo(_window);
        _split = GC.AllocateArray<float>(IsPacked ? 2 * (Plan.Length + 1) : 1, pinned: true);
        if (IsPacked)
        {
            for (var k = 0; k <= Plan.Length; k++)
            {
                (_split[2 * k], _split[2 * k + 1]) = FftPlan.Root(k, geometry.NFft);
            }
        }
    }

    public FftPlan Plan { get; }

    /// <summary>Even n_fft: two real samples per complex FFT input.</summary>
    public bool IsPacked { get; }

    /// <summary>Everything the kernel reads, as pointers into the pinned tables.</summary>
    public StftTables Tables => new(Plan.Tables, Address(_window), Address(_split), Geometry, IsPacked);

    /// <summary>
    /// Per-thread scratch: the FFT buffer, eight padded frames, the power columns, the generic butterfly; rounded
    /// to whole cache lines so that every thread's part starts aligned.
    /// </summary>
    public int ScratchFloats =>
        (Plan.Length * FftKernels.ElementFloats + FftKernels.Lanes * Geometry.NFft + FftKernels.Lanes * Geometry.Bins
            + Plan.MaxRadix * FftKernels.ElementFloats + 15) & ~15;

    private static float* Address(float[] pinned) => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));
}

/// <summary>A <see cref="CpuPreparedStft"/> as raw pointers, for kernels running on pool threads.</summary>
internal readonly unsafe struct StftTables(FftTables fft, float* window, float* split, StftGeometry geometry, bool isPacked)
{
    public readonly FftTables Fft = fft;
    public readonly float* Window = window;

    /// <summary>(re, im) of W_N^k for k = 0 … n_fft/2 (packed only).</summary>
    public readonly float* Split = split;
    public readonly StftGeometry Geometry = geometry;
    public readonly bool IsPacked = isPacked;
}

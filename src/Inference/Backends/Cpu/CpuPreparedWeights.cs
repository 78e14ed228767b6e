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

/// <summary>A Conv1d with its torch weight [out, in/groups, k], which per group is already the [out/g, in/g·k] GEMM operand.</summary>
internal sealed unsafe class CpuPreparedConv1d(CpuStorage weight, CpuStorage? bias, Conv1dGeometry geometry)
    : PreparedConv1d(geometry, bias is not null)
{
    public float* Weight => weight.Pointer;

    public float* Bias => bias is null ? null : bias.Pointer;

    /// <summary>One filter per channel: runs as a direct convolution instead of a GEMM of one-column rows.</summary>
    public bool IsDepthwise => Geometry.Groups == Geometry.InChannels && Geometry.Groups == Geometry.OutChannels;

    /// <summary>k = 1, stride 1, no padding, one group: the input itself is the GEMM operand, no im2col.</summary>
    public bool IsPointwise =>
        Geometry is { KernelSize: 1, Stride: 1, PaddingLeft: 0, PaddingRight: 0, Groups: 1 };
}

/// <summary>A Conv2d with its torch weight [out, in, kh, kw], the [out, in·kh·kw] GEMM operand.</summary>
internal sealed unsafe class CpuPreparedConv2d(CpuStorage weight, CpuStorage? bias, Conv2dGeometry geometry)
    : PreparedConv2d(geometry, bias is not null)
{
    public float* Weight => weight.Pointer;

    public float* Bias => bias is null ? null : bias.Pointer;

    public bool IsPointwise =>
        Geometry is { KernelHeight: 1, KernelWidth: 1, StrideHeight: 1, StrideWidth: 1, PaddingHeight: 0, PaddingWidth: 0 };
}

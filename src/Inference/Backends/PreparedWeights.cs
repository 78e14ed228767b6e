namespace MusicSearch.Inference.Backends;

/// <summary>
/// A linear layer's weights in the layout the backend's GEMM wants, made once at load by
/// <see cref="IComputeBackend.PrepareLinear"/>. Owned by that backend and freed with it.
/// </summary>
public abstract class PreparedLinear(int outFeatures, int inFeatures, bool hasBias)
{
    /// <summary>N: the output width.</summary>
    public int OutFeatures { get; } = outFeatures;

    /// <summary>K: the input width.</summary>
    public int InFeatures { get; } = inFeatures;

    public bool HasBias { get; } = hasBias;
}

/// <summary>A 1-d convolution prepared by <see cref="IComputeBackend.PrepareConv1d"/>; owned by that backend.</summary>
public abstract class PreparedConv1d(Conv1dGeometry geometry, bool hasBias)
{
    public Conv1dGeometry Geometry { get; } = geometry;

    public bool HasBias { get; } = hasBias;
}

/// <summary>A 2-d convolution prepared by <see cref="IComputeBackend.PrepareConv2d"/>; owned by that backend.</summary>
public abstract class PreparedConv2d(Conv2dGeometry geometry, bool hasBias)
{
    public Conv2dGeometry Geometry { get; } = geometry;

    public bool HasBias { get; } = hasBias;
}

/// <summary>A short-time power spectrum prepared by <see cref="IComputeBackend.PrepareStft"/>; owned by that backend.</summary>
public abstract class PreparedStft(StftGeometry geometry)
{
    public StftGeometry Geometry { get; } = geometry;
}

/// <summary>
/// Framing of a short-time spectrum: frames of <see cref="NFft"/> samples every <see cref="Hop"/> samples of a
/// signal padded by <see cref="Padding"/> samples of <see cref="Mode"/> before sample 0 (torch.stft's centre
/// padding is n_fft/2, <c>"reflect"</c>), and as many after the end as the last frame needs.
/// </summary>
public readonly record struct StftGeometry(int NFft, int Hop, int Padding, PaddingMode Mode)
{
    /// <summary>One-sided frequency bins, n_fft/2 + 1.</summary>
    public int Bins => NFft / 2 + 1;

    internal void Validate()
    {
        if (NFft < 1 || Hop < 1 || Padding < 0 || !Enum.IsDefined(Mode))
        {
            throw new ArgumentException($"Invalid STFT geometry {this}: n_fft and hop must be positive, padding non-negative.");
        }
    }
}

/// <summary>
/// Shape of a Conv1d on [B, C, T]: weight [OutChannels, InChannels/Groups, KernelSize], torch layout.
/// Padding is given per side because an even kernel whose last output frame is dropped (MERT's positional
/// convolution: k128, padding 64, then trim the last frame) is exactly padding (64, 63).
/// </summary>
public readonly record struct Conv1dGeometry(
    int InChannels,
    int OutChannels,
    int KernelSize,
    int Stride = 1,
    int PaddingLeft = 0,
    int PaddingRight = 0,
    int Groups = 1)
{
    /// <summary>⌊(T + left + right − k)/stride⌋ + 1, as torch.</summary>
    public int OutputLength(int inputLength) => (inputLength + PaddingLeft + PaddingRight - KernelSize) / Stride + 1;

    /// <summary>Elements of the torch weight: OutChannels × InChannels/Groups × KernelSize.</summary>
    public int WeightLength => OutChannels * (InChannels / Groups) * KernelSize;

    internal void Validate()
    {
        if (InChannels < 1 || OutChannels < 1 || KernelSize < 1 || Stride < 1 || Groups < 1 || PaddingLeft < 0 || PaddingRight < 0)
        {
            throw new ArgumentException($"Invalid Conv1d geometry {this}: sizes, stride and groups must be positive, padding non-negative.");
        }
        if (InChannels % Groups != 0 || OutChannels % Groups != 0)
        {
            throw new ArgumentException($"Invalid Conv1d geometry {this}: groups must divide both channel counts.");
        }
    }
}

/// <summary>Shape of a Conv2d on [B, C, H, W]: weight [OutChannels, InChannels, KernelHeight, KernelWidth], torch layout.</summary>
public readonly record struct Conv2dGeometry(
    int InChannels,
    int OutChannels,
    int KernelHeight,
    int KernelWidth,
    int StrideHeight = 1,
    int StrideWidth = 1,
    int PaddingHeight = 0,
    int PaddingWidth = 0)
{
    /// <summary>A k×k kernel with one stride and one padding for both axes (MusicFM's Res2d: k3, padding 1, stride 1 or 2).</summary>
    public static Conv2dGeometry Square(int inChannels, int outChannels, int kernel, int stride, int padding) =>
        new(inChannels, outChannels, kernel, kernel, stride, stride, padding, padding);

    public int OutputHeight(int height) => (height + 2 * PaddingHeight - KernelHeight) / StrideHeight + 1;

    public int OutputWidth(int width) => (width + 2 * PaddingWidth - KernelWidth) / StrideWidth + 1;

    public int WeightLength => OutChannels * InChannels * KernelHeight * KernelWidth;

    internal void Validate()
    {
        if (InChannels < 1 || OutChannels < 1 || KernelHeight < 1 || KernelWidth < 1 || StrideHeight < 1 || StrideWidth < 1
            || PaddingHeight < 0 || PaddingWidth < 0)
        {
            throw new ArgumentException($"Invalid Conv2d geometry {this}: sizes and strides must be positive, padding non-negative.");
        }
    }
}

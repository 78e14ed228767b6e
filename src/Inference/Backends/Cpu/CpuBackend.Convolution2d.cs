using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using MusicSearch.Inference.Tensors;

namespace MusicSearch.Inference.Backends.Cpu;

/// <summary>
/// Conv2d, by the method its geometry was given at load (<see cref="Conv2dMethod"/>): MusicFM's Res2d runs its
/// one-channel mel convolutions directly and its other 3×3 convolutions by Winograd, F(4×4, 3×3) at stride 1 and
/// by input phases at stride 2; anything else as im2col + GEMM.
/// </summary>
public sealed unsafe partial class CpuBackend
{
    /// <summary>
    /// Tiles per Winograd band are capped so that the transformed inputs and the products each take at most this
    /// many elements (16 MiB): the 36 GEMMs of a band then have hundreds of columns (up to the whole of a small
    /// model's 30 s layer), while the buffers stay far below the layer itself.
    /// </summary>
    private const int WinogradBandElements = 1 << 22;

    public void Conv2d(Tensor input, PreparedConv2d layer, Tensor output, Activation activation = Activation.None, Tensor? residual = null)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var prepared = Prepared<CpuPreparedConv2d>(layer, "Conv2d");
        var g = layer.Geometry;
        RequireRank(input, 4, "[B, C, H, W]", nameof(input));
        var (batch, height, width) = (input.Shape[0], input.Shape[2], input.Shape[3]);
        if (input.Shape[1] != g.InChannels)
        {
            throw new ArgumentException($"'input' {input.Shape} must have the layer's {g.InChannels} channels.", nameof(input));
        }
        var (outHeight, outWidth) = (g.OutputHeight(height), g.OutputWidth(width));
        if (outHeight < 1 || outWidth < 1)
        {
            throw new ArgumentException($"'input' {input.Shape} is smaller than the kernel covers ({g}).", nameof(input));
        }
        RequireShape(output, new TensorShape(batch, g.OutChannels, outHeight, outWidth), nameof(output));
        var x = Resolve(input, nameof(input));
        var y = Resolve(output, nameof(output));
        RequireDisjoint(output, input, nameof(input));
        var beta = LoadResidual(residual, output, y);

        switch (prepared.Method)
        {
            case Conv2dMethod.Direct:
                Conv2dDirect(prepared, x, y, batch, height, width, outHeight, outWidth, beta != 0f, activation);
                return;
            case Conv2dMethod.Winograd or Conv2dMethod.WinogradStrided:
                Conv2dWinograd(prepared, x, y, batch, height, width, outHeight, outWidth, beta != 0f, activation);
                return;
            case Conv2dMethod.Pointwise:
                var plane = height * width;
                for (var b = 0; b < batch; b++)
                {
                    Gemm(false, g.OutChannels, plane, g.InChannels, 1f, prepared.Weight, g.InChannels,
                        x + (long)b * g.InChannels * plane, plane, beta, y + (long)b * g.OutChannels * plane, plane);
                }
                break;
            default:
                Conv2dByColumns(prepared, x, y, batch, height, width, outWidth, outHeight * outWidth, beta);
                break;
        }
        ChannelEpilogue(y, batch * g.OutChannels, outHeight * outWidth, prepared.Bias, g.OutChannels, activation);
    }

    private void Conv2dByColumns(CpuPreparedConv2d prepared, float* x, float* y, int batch, int height, int width, int outWidth, int positions, float beta)
    {
        var g = prepared.Geometry;
        var plane = height * width;
        var rows = g.InChannels * g.KernelHeight * g.KernelWidth;
        var tile = Math.Clamp(ColumnTileElements / rows, 1, positions);
        using var scope = _scratch.BeginScope();
        var columns = Resolve(_scratch.Allocate(rows, tile), "columns");
        for (var b = 0; b < batch; b++)
        {
            for (var p0 = 0; p0 < positions; p0 += tile)
            {
                var count = Math.Min(tile, positions - p0);
                var job = new Im2Col2dJob(x + (long)b * g.InChannels * plane, columns, g, height, width, outWidth, p0, count);
                _pool.For(rows, RowGrain(count), &Im2Col2dRows, &job);
                Gemm(false, g.OutChannels, count, rows, 1f, prepared.Weight, rows, columns, count, beta,
                    y + (long)b * g.OutChannels * positions + p0, positions);
            }
        }
    }

    /// <summary>
    /// Per output row (all channels): each input channel's kernel taps gathered once into rows of the output
    /// width, then every output channel is its bias plus a few vector FMAs over them, in L1.
    /// </summary>
    private void Conv2dDirect(CpuPreparedConv2d prepared, float* x, float* y, int batch, int height, int width, int outHeight, int outWidth,
        bool hasResidual, Activation activation)
    {
        var g = prepared.Geometry;
        var taps = g.InChannels * g.KernelHeight * g.KernelWidth;
        using var scope = _scratch.BeginScope();
        var scratch = Resolve(_scratch.Allocate(_pool.Threads, taps * outWidth), "taps");
        var job = new DirectJob(prepared.Weight, prepared.Bias, x, y, scratch, g, height, width, outHeight, outWidth, hasResidual, activation);
        _pool.For(batch * outHeight, RowGrain((long)g.OutChannels * outWidth), &DirectRows, &job);
    }

    /// <summary>
    /// Bands of tile groups: transform the band's input tiles (pool), the 36 GEMMs (pool threads, one OpenBLAS
    /// thread each: at these sizes a GEMM per thread beats splitting each one), transform back with the epilogue (pool).
    /// Stride 1 is F(4×4, 3×3) (<see cref="WinogradKernels"/>), stride 2 the phase decomposition of
    /// <see cref="StridedWinogradKernels"/>; both give 4×4 output tiles from 36 weight matrices.
    /// </summary>
    private void Conv2dWinograd(CpuPreparedConv2d prepared, float* x, float* y, int batch, int height, int width, int outHeight, int outWidth,
        bool hasResidual, Activation activation)
    {
        const int Lanes = WinogradKernels.Lanes;
        var g = prepared.Geometry;
        var points = prepared.Method == Conv2dMethod.WinogradStrided ? StridedWinogradKernels.Points : WinogradKernels.Points;
        var tilesHigh = (outHeight + WinogradKernels.Tile - 1) / WinogradKernels.Tile;
        var tilesWide = (outWidth + WinogradKernels.Tile - 1) / WinogradKernels.Tile;
        var groupsWide = (tilesWide + Lanes - 1) / Lanes;
        var groups = tilesHigh * groupsWide;
        var perBand = Math.Clamp(WinogradBandElements / (points * Lanes * Math.Max(g.InChannels, g.OutChannels)), 1, groups);
        var bandTiles = perBand * Lanes;

        using var scope = _scratch.BeginScope();
        var transformed = Resolve(_scratch.Allocate(points * g.InChannels, bandTiles), "transformed");
        var products = Resolve(_scratch.Allocate(points * g.OutChannels, bandTiles), "products");
        for (var b = 0; b < batch; b++)
        {
            for (var first = 0; first < groups; first += perBand)
            {
                var count = Math.Min(perBand, groups - first);
                var job = new WinogradJob(prepared, x + (long)b * g.InChannels * height * width, y + (long)b * g.OutChannels * outHeight * outWidth,
                    transformed, products, height, width, outHeight, outWidth, groupsWide, first, count, bandTiles, hasResidual, activation);
                _pool.For(g.InChannels * count, RowGrain(points * Lanes), &WinogradInputs, &job);
                using (OpenBlas.SingleThreadedSection())
                {
                    _pool.For(WinogradKernels.Points, 1, &WinogradProducts, &job);
                }
                _pool.For(g.OutChannels * count, RowGrain(points * Lanes), &WinogradOutputs, &job);
            }
        }
    }

    private readonly struct DirectJob(float* weight, float* bias, float* input, float* output, float* scratch, Conv2dGeometry geometry,
        int height, int width, int outHeight, int outWidth, bool hasResidual, Activation activation)
    {
        public readonly float* Weight = weight;
        public readonly float* Bias = bias;
        public readonly float* Input = input;
        public readonly float* Output = output;
        public readonly float* Scratch = scratch;
        public readonly Conv2dGeometry Geometry = geometry;
        public readonly int Height = height;
        public readonly int Width = width;
        public readonly int OutHeight = outHeight;
        public readonly int OutWidth = outWidth;
        public readonly bool HasResidual = hasResidual;
        public readonly Activation Activation = activation;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DirectRows(void* state, int begin, int end)
    {
        var job = (DirectJob*)state;
        switch (job->Activation)
        {
            case Activation.None:
                DirectRows<ActivationKernels.Identity>(job, begin, end);
                break;
            case Activation.Relu:
                DirectRows<ActivationKernels.Relu>(job, begin, end);
                break;
            case Activation.Silu:
                DirectRows<ActivationKernels.Silu>(job, begin, end);
                break;
            default:
                DirectRows<ActivationKernels.Gelu>(job, begin, end);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    private static void DirectRows<TActivation>(DirectJob* job, int begin, int end) where TActivation : struct, ActivationKernels.IActivation
    {
        var g = job->Geometry;
        var outWidth = job->OutWidth;
        var kernel = g.InChannels * g.KernelHeight * g.KernelWidth;
        var taps = job->Scratch + (long)WorkerPool.Slot * kernel * outWidth;
        var used = stackalloc int[kernel];
        var weights = stackalloc Vector256<float>[kernel];
        for (var item = begin; item < end; item++)
        {
            var (b, row) = Math.DivRem(item, job->OutHeight);
            var count = 0;
            for (var c = 0; c < g.InChannels; c++)
            {
                var plane = job->Input + ((long)b * g.InChannels + c) * job->Height * job->Width;
                for (var ki = 0; ki < g.KernelHeight; ki++)
                {
                    var inputRow = row * g.StrideHeight - g.PaddingHeight + ki;
                    if (inputRow < 0 || inputRow >= job->Height)
                    {
                        continue;
                    }
                    for (var kj = 0; kj < g.KernelWidth; kj++)
                    {
                        ConvolutionKernels.Im2ColRow1d(plane + (long)inputRow * job->Width, job->Width, kj, g.StrideWidth, g.PaddingWidth, 0, outWidth,
                            taps + (long)count * outWidth);
                        used[count++] = (c * g.KernelHeight + ki) * g.KernelWidth + kj;
                    }
                }
            }
            for (var o = 0; o < g.OutChannels; o++)
            {
                var filter = job->Weight + (long)o * kernel;
                for (var i = 0; i < count; i++)
                {
                    weights[i] = Vector256.Create(filter[used[i]]);
                }
                var target = job->Output + (((long)b * g.OutChannels + o) * job->OutHeight + row) * outWidth;
                ConvolutionKernels.TapsRow<TActivation>(taps, weights, count, job->Bias == null ? 0f : job->Bias[o], job->HasResidual, target, outWidth);
            }
        }
    }

    private readonly struct WinogradJob(CpuPreparedConv2d layer, float* input, float* output, float* transformed, float* products, int height,
        int width, int outHeight, int outWidth, int groupsWide, int first, int count, int bandTiles, bool hasResidual, Activation activation)
    {
        public readonly float* Filters = layer.WinogradFilters;
        public readonly float* Bias = layer.Bias;
        public readonly bool Strided = layer.Method == Conv2dMethod.WinogradStrided;
        public readonly int InChannels = layer.Geometry.InChannels;
        public readonly int OutChannels = layer.Geometry.OutChannels;
        public readonly float* Input = input;
        public readonly float* Output = output;
        public readonly float* Transformed = transformed;
        public readonly float* Products = products;
        public readonly int Height = height;
        public readonly int Width = width;
        public readonly int OutHeight = outHeight;
        public readonly int OutWidth = outWidth;
        public readonly int GroupsWide = groupsWide;

        /// <summary>The band: groups first … first + count − 1 of the row-major (tile row, group) grid.</summary>
        public readonly int First = first;
        public readonly int Count = count;

        /// <summary>Columns per point in the band buffers [points · channels, bandTiles].</summary>
        public readonly int BandTiles = bandTiles;
        public readonly bool HasResidual = hasResidual;
        public readonly Activation Activation = activation;

        /// <summary>Output row and column where group <paramref name="group"/> of the band starts.</summary>
        public (int Row, int Column) Origin(int group)
        {
            var (tileRow, tileGroup) = Math.DivRem(First + group, GroupsWide);
            return (tileRow * WinogradKernels.Tile, tileGroup * WinogradKernels.Lanes * WinogradKernels.Tile);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WinogradInputs(void* state, int begin, int end)
    {
        var job = (WinogradJob*)state;
        var slicePoint = (long)job->InChannels * job->BandTiles;
        for (var item = begin; item < end; item++)
        {
            var (channel, group) = Math.DivRem(item, job->Count);
            var (row, column) = job->Origin(group);
            var plane = job->Input + (long)channel * job->Height * job->Width;
            var place = job->Transformed + group * WinogradKernels.Lanes;
            if (job->Strided)
            {
                StridedWinogradKernels.InputGroup(plane, job->Height, job->Width, row, column, place, channel, slicePoint, job->BandTiles);
            }
            else
            {
                WinogradKernels.InputGroup(plane, job->Height, job->Width, row, column, place + (long)channel * job->BandTiles, slicePoint);
            }
        }
    }

    /// <summary>
    /// M_s [C_out × width·tiles] = U_s [C_out × C_in] · V_s [C_in × width·tiles] for slices s of the range; a slice
    /// of several points per channel row spans that many band widths, of which the last is cut to the band's tiles.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WinogradProducts(void* state, int begin, int end)
    {
        var job = (WinogradJob*)state;
        var (inChannels, outChannels, bandTiles) = (job->InChannels, job->OutChannels, job->BandTiles);
        for (var slice = begin; slice < end; slice++)
        {
            var (offset, width) = job->Strided ? StridedWinogradKernels.Slice(slice) : (slice, 1);
            var stride = width * bandTiles;
            OpenBlas.GemmOnThisThread(false, outChannels, (width - 1) * bandTiles + job->Count * WinogradKernels.Lanes, inChannels, 1f,
                job->Filters + (long)slice * outChannels * inChannels, inChannels,
                job->Transformed + (long)offset * inChannels * bandTiles, stride, 0f,
                job->Products + (long)offset * outChannels * bandTiles, stride);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WinogradOutputs(void* state, int begin, int end)
    {
        var job = (WinogradJob*)state;
        switch (job->Activation)
        {
            case Activation.None:
                WinogradOutputs<ActivationKernels.Identity>(job, begin, end);
                break;
            case Activation.Relu:
                WinogradOutputs<ActivationKernels.Relu>(job, begin, end);
                break;
            case Activation.Silu:
                WinogradOutputs<ActivationKernels.Silu>(job, begin, end);
                break;
            default:
                WinogradOutputs<ActivationKernels.Gelu>(job, begin, end);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WinogradOutputs<TActivation>(WinogradJob* job, int begin, int end) where TActivation : struct, ActivationKernels.IActivation
    {
        var slicePoint = (long)job->OutChannels * job->BandTiles;
        for (var item = begin; item < end; item++)
        {
            var (channel, group) = Math.DivRem(item, job->Count);
            var (row, column) = job->Origin(group);
            var plane = job->Output + (long)channel * job->OutHeight * job->OutWidth;
            var place = job->Products + group * WinogradKernels.Lanes;
            var bias = job->Bias == null ? 0f : job->Bias[channel];
            var residual = job->HasResidual ? plane : null;
            if (job->Strided)
            {
                StridedWinogradKernels.OutputGroup<TActivation>(place, channel, slicePoint, job->BandTiles, bias, residual, plane, job->OutHeight,
                    job->OutWidth, row, column);
            }
            else
            {
                WinogradKernels.OutputGroup<TActivation>(place + (long)channel * job->BandTiles, slicePoint, bias, residual, plane, job->OutHeight,
                    job->OutWidth, row, column);
            }
        }
    }

    private readonly struct Im2Col2dJob(float* input, float* columns, Conv2dGeometry geometry, int height, int width, int outWidth, int p0, int count)
    {
        public readonly float* Input = input;
        public readonly float* Columns = columns;
        public readonly Conv2dGeometry Geometry = geometry;
        public readonly int Height = height;
        public readonly int Width = width;
        public readonly int OutWidth = outWidth;
        public readonly int P0 = p0;
        public readonly int Count = count;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Im2Col2dRows(void* state, int begin, int end)
    {
        var job = (Im2Col2dJob*)state;
        var g = job->Geometry;
        var taps = g.KernelHeight * g.KernelWidth;
        for (var r = begin; r < end; r++)
        {
            var (channel, tap) = Math.DivRem(r, taps);
            var (ki, kj) = Math.DivRem(tap, g.KernelWidth);
            ConvolutionKernels.Im2ColRow2d(job->Input + (long)channel * job->Height * job->Width, job->Height, job->Width, ki, kj,
                g.StrideHeight, g.StrideWidth, g.PaddingHeight, g.PaddingWidth, job->OutWidth, job->P0, job->Count,
                job->Columns + (long)r * job->Count);
        }
    }
}

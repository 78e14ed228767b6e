using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MusicSearch.Inference.Backends.Cpu;

/// <summary>
/// Winograd F(4×4, 3×3) for stride-1, padding-1 3×3 convolutions (Lavin &amp; Gray's transforms, points 0, ±1, ±2,
/// ∞): a 6×6 input tile d becomes V = Bᵀ·d·B, a filter g becomes U = G·g·Gᵀ, and the 4×4 output tile is
/// Aᵀ·(U ⊙ V)·A. Summed over input channels, the 36 element-wise products are 36 GEMMs
/// M_ξν [C_out × tiles] = U_ξν [C_out × C_in] · V_ξν [C_in × tiles]: 36 multiply-adds per 16 outputs and channel
/// pair instead of 144. The transforms run on eight horizontally adjacent tiles at once, one per vector lane.
/// Measured error of the fp32 result: ~1e-5 of the largest output at 512 channels (direct GEMM: ~4e-7).
/// </summary>
[SkipLocalsInit]
internal static unsafe class WinogradKernels
{
    /// <summary>Output tile side.</summary>
    public const int Tile = 4;

    /// <summary>Input tile side (tile + kernel − 1).</summary>
    public const int Window = 6;

    /// <summary>Transformed elements per tile: the number of GEMMs.</summary>
    public const int Points = Window * Window;

    /// <summary>Tiles per vector: a group of eight horizontally adjacent tiles.</summary>
    public const int Lanes = 8;

    /// <summary>Input columns a group of tiles reads: 4 per tile plus the 2 of overlap.</summary>
    private const int GroupColumns = Tile * Lanes + Window - Tile;

    private static readonly double[,] G =
    {
        { 1 / 4.0, 0, 0 },
        { -1 / 6.0, -1 / 6.0, -1 / 6.0 },
        { -1 / 6.0, 1 / 6.0, -1 / 6.0 },
        { 1 / 24.0, 1 / 12.0, 1 / 6.0 },
        { 1 / 24.0, -1 / 12.0, 1 / 6.0 },
        { 0, 0, 1 },
    };

    /// <summary>
    /// U = G·g·Gᵀ of torch weights [C_out, C_in, 3, 3], in double and rounded once, laid out [36][C_out][C_in]:
    /// the A operands of the 36 GEMMs.
    /// </summary>
    public static float[] TransformFilters(ReadOnlySpan<float> weight, int outChannels, int inChannels)
    {
        var transformed = new float[Points * outChannels * inChannels];
        var gg = new double[Window, 3];
        for (var o = 0; o < outChannels; o++)
        {
            for (var c = 0; c < inChannels; c++)
            {
                var g = weight.Slice((o * inChannels + c) * 9, 9);
                for (var i = 0; i < Window; i++)
                {
                    for (var k = 0; k < 3; k++)
                    {
                        gg[i, k] = G[i, 0] * g[k] + G[i, 1] * g[3 + k] + G[i, 2] * g[6 + k];
                    }
                }
                for (var i = 0; i < Window; i++)
                {
                    for (var j = 0; j < Window; j++)
                    {
                        var u = gg[i, 0] * G[j, 0] + gg[i, 1] * G[j, 1] + gg[i, 2] * G[j, 2];
                        transformed[((long)(i * Window + j) * outChannels + o) * inChannels + c] = (float)u;
                    }
                }
            }
        }
        return transformed;
    }

    /// <summary>
    /// V = Bᵀ·d·B of one channel for the group of eight tiles whose first tile starts at output (row, column):
    /// input rows row − 1 … row + 4 and columns column − 1 … column + 32, zero outside the [height, width] plane.
    /// Point p goes to <paramref name="transformed"/>[p·pointStride … + 8] (the group's place in slice p, row
    /// <paramref name="transformed"/>'s channel).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void InputGroup(float* plane, int height, int width, int row, int column, float* transformed, long pointStride)
    {
        var rows = stackalloc Vector256<float>[Points];
        var padded = stackalloc float[GroupColumns];
        var x0 = column - 1;
        var inside = x0 >= 0 && x0 + GroupColumns <= width;
        for (var a = 0; a < Window; a++)
        {
            var y = row - 1 + a;
            var r = rows + a * Window;
            if (y < 0 || y >= height)
            {
                for (var j = 0; j < Window; j++)
                {
                    r[j] = Vector256<float>.Zero;
                }
                continue;
            }
            var source = plane + (long)y * width + x0;
            if (!inside)
            {
                for (var c = 0; c < GroupColumns; c++)
                {
                    var x = x0 + c;
                    padded[c] = x >= 0 && x < width ? source[c] : 0f;
                }
                source = padded;
            }
            // d_j for the eight tiles: columns 4t + j of the group; then Bᵀ along the row.
            Deinterleave(source, out var d0, out var d1, out var d2, out var d3, out var d4, out var d5);
            r[0] = 4f * d0 - 5f * d2 + d4;
            r[1] = -4f * (d1 + d2) + d3 + d4;
            r[2] = 4f * (d1 - d2) - d3 + d4;
            r[3] = 2f * (d3 - d1) - d2 + d4;
            r[4] = 2f * (d1 - d3) - d2 + d4;
            r[5] = 4f * d1 - 5f * d3 + d5;
        }
        for (var j = 0; j < Window; j++)
        {
            var (d0, d1, d2, d3, d4, d5) = (rows[j], rows[Window + j], rows[2 * Window + j], rows[3 * Window + j], rows[4 * Window + j], rows[5 * Window + j]);
            Vector256.Store(4f * d0 - 5f * d2 + d4, transformed + (0 * Window + j) * pointStride);
            Vector256.Store(-4f * (d1 + d2) + d3 + d4, transformed + (1 * Window + j) * pointStride);
            Vector256.Store(4f * (d1 - d2) - d3 + d4, transformed + (2 * Window + j) * pointStride);
            Vector256.Store(2f * (d3 - d1) - d2 + d4, transformed + (3 * Window + j) * pointStride);
            Vector256.Store(2f * (d1 - d3) - d2 + d4, transformed + (4 * Window + j) * pointStride);
            Vector256.Store(4f * d1 - 5f * d3 + d5, transformed + (5 * Window + j) * pointStride);
        }
    }

    /// <summary>
    /// Y = Aᵀ·M·A for one output channel and group of eight tiles (point p at <paramref name="products"/>[p·pointStride]),
    /// then written by <see cref="WriteTiles"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void OutputGroup<TActivation>(float* products, long pointStride, float bias, float* residual, float* plane, int height, int width,
        int row, int column) where TActivation : struct, ActivationKernels.IActivation
    {
        var columns = stackalloc Vector256<float>[Window * Tile];
        for (var a = 0; a < Window; a++)
        {
            var m = products + a * Window * pointStride;
            var (m0, m1, m2, m3, m4, m5) = (Vector256.Load(m), Vector256.Load(m + pointStride), Vector256.Load(m + 2 * pointStride),
                Vector256.Load(m + 3 * pointStride), Vector256.Load(m + 4 * pointStride), Vector256.Load(m + 5 * pointStride));
            var c = columns + a * Tile;
            c[0] = m0 + m1 + m2 + m3 + m4;
            c[1] = m1 - m2 + 2f * (m3 - m4);
            c[2] = m1 + m2 + 4f * (m3 + m4);
            c[3] = m1 - m2 + 8f * (m3 - m4) + m5;
        }
        var rows = stackalloc Vector256<float>[Tile * Tile];
        for (var j = 0; j < Tile; j++)
        {
            var (s0, s1, s2, s3, s4, s5) = (columns[j], columns[Tile + j], columns[2 * Tile + j], columns[3 * Tile + j], columns[4 * Tile + j],
                columns[5 * Tile + j]);
            rows[j] = s0 + s1 + s2 + s3 + s4;
            rows[Tile + j] = s1 - s2 + 2f * (s3 - s4);
            rows[2 * Tile + j] = s1 + s2 + 4f * (s3 + s4);
            rows[3 * Tile + j] = s1 - s2 + 8f * (s3 - s4) + s5;
        }
        WriteTiles<TActivation>(rows, bias, residual, plane, height, width, row, column);
    }

    /// <summary>
    /// The 4×4 output tiles of a group, row i's column j at rows[4i + j] (one lane per tile): y = act(Y + bias +
    /// residual) written where it lies inside the [height, width] plane. The residual is read before the output is
    /// written, so it may be the output.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void WriteTiles<TActivation>(Vector256<float>* rows, float bias, float* residual, float* plane, int height, int width, int row,
        int column) where TActivation : struct, ActivationKernels.IActivation
    {
        var biasVector = Vector256.Create(bias);
        var line = stackalloc float[Tile * Lanes];
        var count = Math.Min(Tile * Lanes, width - column);
        for (var i = 0; i < Tile && row + i < height; i++)
        {
            var y = rows + i * Tile;
            Interleave(y[0] + biasVector, y[1] + biasVector, y[2] + biasVector, y[3] + biasVector, line);
            var offset = (long)(row + i) * width + column;
            var target = plane + offset;
            if (count == Tile * Lanes)
            {
                for (var v = 0; v < Tile * Lanes; v += Lanes)
                {
                    var value = Vector256.Load(line + v);
                    if (residual != null)
                    {
                        value += Vector256.Load(residual + offset + v);
                    }
                    Vector256.Store(TActivation.Apply(value), target + v);
                }
                continue;
            }
            // The right edge: the same arithmetic on a copy, of which only the plane's part is written.
            for (var c = 0; c < count && residual != null; c++)
            {
                line[c] += residual[offset + c];
            }
            for (var v = 0; v < Tile * Lanes; v += Lanes)
            {
                Vector256.Store(TActivation.Apply(Vector256.Load(line + v)), line + v);
            }
            new ReadOnlySpan<float>(line, count).CopyTo(new Span<float>(target, count));
        }
    }

    /// <summary>d_j[t] = source[4t + j] for t = 0 … 7 and j = 0 … 5: the 34 floats at source, de-interleaved by fours.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Deinterleave(float* source, out Vector256<float> d0, out Vector256<float> d1, out Vector256<float> d2, out Vector256<float> d3,
        out Vector256<float> d4, out Vector256<float> d5)
    {
        if (Avx2.IsSupported)
        {
            // Eight tiles of four floats in; per 128-bit half, unpack pairs of tiles, then gather each x_j.
            var (a, b, c, d) = (Avx.LoadVector256(source), Avx.LoadVector256(source + 8), Avx.LoadVector256(source + 16), Avx.LoadVector256(source + 24));
            var t04 = Avx.Permute2x128(a, c, 0x20); // tile 0 | tile 4
            var t15 = Avx.Permute2x128(a, c, 0x31);
            var t26 = Avx.Permute2x128(b, d, 0x20);
            var t37 = Avx.Permute2x128(b, d, 0x31);
            var lo01 = Avx.UnpackLow(t04, t15);   // x0(t0) x0(t1) x1(t0) x1(t1) | same for t4, t5
            var hi01 = Avx.UnpackHigh(t04, t15);  // x2, x3 of t0, t1 | t4, t5
            var lo23 = Avx.UnpackLow(t26, t37);
            var hi23 = Avx.UnpackHigh(t26, t37);
            d0 = Avx.Shuffle(lo01, lo23, 0x44);
            d1 = Avx.Shuffle(lo01, lo23, 0xEE);
            d2 = Avx.Shuffle(hi01, hi23, 0x44);
            d3 = Avx.Shuffle(hi01, hi23, 0xEE);
            // x4, x5 of tile t are x0, x1 of tile t + 1: shift a lane down and put the next tile's in last.
            var down = Vector256.Create(1, 2, 3, 4, 5, 6, 7, 0);
            d4 = Avx.Blend(Avx2.PermuteVar8x32(d0, down), Vector256.Create(source[32]), 0x80);
            d5 = Avx.Blend(Avx2.PermuteVar8x32(d1, down), Vector256.Create(source[33]), 0x80);
            return;
        }
        d0 = Gather(source);
        d1 = Gather(source + 1);
        d2 = Gather(source + 2);
        d3 = Gather(source + 3);
        d4 = Gather(source + 4);
        d5 = Gather(source + 5);

        static Vector256<float> Gather(float* s) => Vector256.Create(s[0], s[4], s[8], s[12], s[16], s[20], s[24], s[28]);
    }

    /// <summary>target[4t + j] = y_j[t]: the inverse of <see cref="Deinterleave"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Interleave(Vector256<float> y0, Vector256<float> y1, Vector256<float> y2, Vector256<float> y3, float* target)
    {
        if (Avx.IsSupported)
        {
            var lo01 = Avx.UnpackLow(y0, y1);   // y0(t0) y1(t0) y0(t1) y1(t1) | t4, t5
            var hi01 = Avx.UnpackHigh(y0, y1);  // t2, t3 | t6, t7
            var lo23 = Avx.UnpackLow(y2, y3);
            var hi23 = Avx.UnpackHigh(y2, y3);
            var t04 = Avx.Shuffle(lo01, lo23, 0x44); // tile 0 | tile 4
            var t15 = Avx.Shuffle(lo01, lo23, 0xEE); // tile 1 | tile 5
            var t26 = Avx.Shuffle(hi01, hi23, 0x44);
            var t37 = Avx.Shuffle(hi01, hi23, 0xEE);
            Avx.Store(target, Avx.Permute2x128(t04, t15, 0x20));
            Avx.Store(target + 8, Avx.Permute2x128(t26, t37, 0x20));
            Avx.Store(target + 16, Avx.Permute2x128(t04, t15, 0x31));
            Avx.Store(target + 24, Avx.Permute2x128(t26, t37, 0x31));
            return;
        }
        for (var t = 0; t < Lanes; t++)
        {
            target[4 * t] = y0.GetElement(t);
            target[4 * t + 1] = y1.GetElement(t);
            target[4 * t + 2] = y2.GetElement(t);
            target[4 * t + 3] = y3.GetElement(t);
        }
    }
}

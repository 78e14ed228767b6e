using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MusicSearch.Inference.Backends.Cpu;

/// <summary>
/// Winograd for stride-2, padding-1 3×3 convolutions, by input phases. Output (i, j) reads input rows 2i − 1,
/// 2i, 2i + 1: the odd rows through kernel rows 0 and 2, a 2-tap stride-1 filter over the odd-row phase, and the
/// even row through kernel row 1; likewise for columns. So the convolution is four stride-1 convolutions of the
/// phase planes: odd/odd with the 2×2 kernel (w00 w02; w20 w22) as F(4×4, 2×2), odd rows/even columns with the
/// 2×1 kernel (w01; w21) as F(4, 2) down and direct across, its transpose, and even/even with w11 alone.
/// Per 4×4 output tile and channel pair that is 25 + 20 + 20 + 16 = 81 multiply-adds instead of 144, as 36 GEMMs
/// with one shared weight matrix each (25 for the 2×2 points; 5, 5 and 1 whose columns hold 4, 4 and 16 points).
/// F(4, 2) uses the points 0, 1, −1, 2, ∞: Bᵀ, G and Aᵀ below.
/// <para>
/// Phase naming follows the input tile: the 9×9 input rows/columns u = 0 … 8 of a tile start one before 2·(tile
/// origin), so "even" u (0, 2, …, 8: five) are the odd image rows the 2-tap filters read, and "odd" u (four) the
/// even image rows of the centre tap. Slices: EE (even u, even v) 25 points, EO 5 × 4, OE 4 × 5, OO 4 × 4.
/// </para>
/// </summary>
[SkipLocalsInit]
internal static unsafe class StridedWinogradKernels
{
    /// <summary>Transformed values per tile and channel: 25 + 20 + 20 + 16.</summary>
    public const int Points = 81;

    /// <summary>GEMMs per band: one per distinct weight matrix.</summary>
    public const int Slices = 36;

    private const int Tile = WinogradKernels.Tile;
    private const int Lanes = WinogradKernels.Lanes;

    /// <summary>Input columns a group of eight tiles reads: 8 per tile plus one on each side.</summary>
    private const int GroupColumns = 2 * Tile * Lanes + 1;

    private static readonly double[,] G =
    {
        { 1 / 2.0, 0 },
        { -1 / 2.0, -1 / 2.0 },
        { -1 / 6.0, 1 / 6.0 },
        { 1 / 6.0, 1 / 3.0 },
        { 0, 1 },
    };

    /// <summary>
    /// Where GEMM slice s reads and writes: its first point (in units of channels × band tiles) and how many points
    /// lie side by side in each channel's row (its columns are that many band widths).
    /// </summary>
    public static (int Offset, int Width) Slice(int slice) => slice switch
    {
        < 25 => (slice, 1),
        < 30 => (25 + 4 * (slice - 25), 4),
        < 35 => (45 + 4 * (slice - 30), 4),
        _ => (65, 16),
    };

    /// <summary>
    /// The 36 weight matrices [36][C_out][C_in] of torch weights [C_out, C_in, 3, 3], in double and rounded once:
    /// G·(w00 w02; w20 w22)·Gᵀ (25), G·(w01; w21) (5), (w10 w12)·Gᵀ (5), w11.
    /// </summary>
    public static float[] TransformFilters(ReadOnlySpan<float> weight, int outChannels, int inChannels)
    {
        var transformed = new float[Slices * outChannels * inChannels];
        for (var o = 0; o < outChannels; o++)
        {
            for (var c = 0; c < inChannels; c++)
            {
                var w = weight.Slice((o * inChannels + c) * 9, 9);
                void Set(int slice, double value) => transformed[((long)slice * outChannels + o) * inChannels + c] = (float)value;
                for (var i = 0; i < 5; i++)
                {
                    for (var j = 0; j < 5; j++)
                    {
                        var top = G[j, 0] * w[0] + G[j, 1] * w[2];
                        var bottom = G[j, 0] * w[6] + G[j, 1] * w[8];
                        Set(i * 5 + j, G[i, 0] * top + G[i, 1] * bottom);
                    }
                    Set(25 + i, G[i, 0] * w[1] + G[i, 1] * w[7]);
                    Set(30 + i, G[i, 0] * w[3] + G[i, 1] * w[5]);
                }
                Set(35, w[4]);
            }
        }
        return transformed;
    }

    /// <summary>
    /// The 81 transformed values of one channel for the group of eight tiles whose first tile starts at output
    /// (row, column): input rows 2·row − 1 … 2·row + 7 and columns 2·column − 1 … 2·column + 63, zero outside the
    /// [height, width] plane. <paramref name="transformed"/> is the band buffer at the group's first tile; point k of
    /// slice s for this channel lies at <see cref="At"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void InputGroup(float* plane, int height, int width, int row, int column, float* transformed, int channel, long slicePoint,
        long bandTiles)
    {
        // Per input row u: the five even-v columns through Bᵀ (0 … 4), then the four odd-v columns as they are (5 … 8).
        var rows = stackalloc Vector256<float>[9 * 9];
        var padded = stackalloc float[GroupColumns];
        var x0 = 2 * column - 1;
        var inside = x0 >= 0 && x0 + GroupColumns <= width;
        for (var u = 0; u < 9; u++)
        {
            var r = rows + u * 9;
            var y = 2 * row - 1 + u;
            if (y < 0 || y >= height)
            {
                for (var k = 0; k < 9; k++)
                {
                    r[k] = Vector256<float>.Zero;
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
            Transpose(source, out var d0, out var d1, out var d2, out var d3, out var d4, out var d5, out var d6, out var d7, out var d8);
            TransformB(d0, d2, d4, d6, d8, r);
            (r[5], r[6], r[7], r[8]) = (d1, d3, d5, d7);
        }

        var columns = stackalloc Vector256<float>[5];
        // EE: Bᵀ down the even rows of the row-transformed even columns; EO: the same of the raw odd columns.
        for (var k = 0; k < 9; k++)
        {
            TransformB(rows[k], rows[18 + k], rows[36 + k], rows[54 + k], rows[72 + k], columns);
            for (var i = 0; i < 5; i++)
            {
                var target = k < 5 ? At(i * 5 + k, 1, channel, 0, slicePoint, bandTiles) : At(25 + 4 * i, 4, channel, k - 5, slicePoint, bandTiles);
                Vector256.Store(columns[i], transformed + target);
            }
        }
        // OE: odd rows a of the transformed even columns k; OO: odd rows of the raw odd columns.
        for (var a = 0; a < 4; a++)
        {
            var r = rows + (2 * a + 1) * 9;
            for (var k = 0; k < 5; k++)
            {
                Vector256.Store(r[k], transformed + At(45 + 4 * k, 4, channel, a, slicePoint, bandTiles));
            }
            for (var b = 0; b < 4; b++)
            {
                Vector256.Store(r[5 + b], transformed + At(65, 16, channel, a * 4 + b, slicePoint, bandTiles));
            }
        }
    }

    /// <summary>
    /// Aᵀ back for one output channel and group of eight tiles (the layout of <see cref="InputGroup"/>, with output
    /// channels), the four phase contributions summed, then written by <see cref="WinogradKernels.WriteTiles"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void OutputGroup<TActivation>(float* products, int channel, long slicePoint, long bandTiles, float bias, float* residual,
        float* plane, int height, int width, int row, int column) where TActivation : struct, ActivationKernels.IActivation
    {
        var tile = stackalloc Vector256<float>[Tile * Tile];
        var down = stackalloc Vector256<float>[Tile * 5];
        var m = stackalloc Vector256<float>[5];
        // EE: Aᵀ down each of the five columns, then across each of the four rows.
        for (var k = 0; k < 5; k++)
        {
            for (var i = 0; i < 5; i++)
            {
                m[i] = Vector256.Load(products + At(i * 5 + k, 1, channel, 0, slicePoint, bandTiles));
            }
            TransformA(m, down + k, 5);
        }
        for (var i = 0; i < Tile; i++)
        {
            TransformA(down + i * 5, tile + i * Tile, 1);
        }
        // EO: Aᵀ down each odd column j.
        var column4 = stackalloc Vector256<float>[Tile];
        for (var j = 0; j < Tile; j++)
        {
            for (var i = 0; i < 5; i++)
            {
                m[i] = Vector256.Load(products + At(25 + 4 * i, 4, channel, j, slicePoint, bandTiles));
            }
            TransformA(m, column4, 1);
            for (var i = 0; i < Tile; i++)
            {
                tile[i * Tile + j] += column4[i];
            }
        }
        // OE: Aᵀ across each odd row a; OO: added as it is.
        for (var a = 0; a < Tile; a++)
        {
            for (var k = 0; k < 5; k++)
            {
                m[k] = Vector256.Load(products + At(45 + 4 * k, 4, channel, a, slicePoint, bandTiles));
            }
            TransformA(m, column4, 1);
            for (var j = 0; j < Tile; j++)
            {
                tile[a * Tile + j] += column4[j] + Vector256.Load(products + At(65, 16, channel, a * 4 + j, slicePoint, bandTiles));
            }
        }
        WinogradKernels.WriteTiles<TActivation>(tile, bias, residual, plane, height, width, row, column);
    }

    /// <summary>
    /// Offset of point <paramref name="point"/> of a slice that starts at point <paramref name="offset"/> with
    /// <paramref name="width"/> points per channel row, for one channel: slices are [channels × width·bandTiles]
    /// matrices (the GEMMs' B and C operands) in a buffer of 81 points × channels × bandTiles.
    /// </summary>
    public static long At(int offset, int width, int channel, int point, long slicePoint, long bandTiles) =>
        offset * slicePoint + ((long)channel * width + point) * bandTiles;

    /// <summary>Bᵀ of F(4, 2) on five vectors: target[0 … 4].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransformB(Vector256<float> d0, Vector256<float> d1, Vector256<float> d2, Vector256<float> d3, Vector256<float> d4,
        Vector256<float>* target)
    {
        target[0] = 2f * (d0 - d2) - d1 + d3;
        target[1] = d3 - 2f * d1 - d2;
        target[2] = 2f * d1 - 3f * d2 + d3;
        target[3] = d3 - d1;
        target[4] = 2f * (d1 - d3) - d2 + d4;
    }

    /// <summary>Aᵀ of F(4, 2) on five vectors m[0 … 4]: target[0], target[stride], … target[3·stride].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransformA(Vector256<float>* m, Vector256<float>* target, int stride)
    {
        var (m0, m1, m2, m3, m4) = (m[0], m[1], m[2], m[3], m[4]);
        target[0] = m0 + m1 + m2 + m3;
        target[stride] = m1 - m2 + 2f * m3;
        target[2 * stride] = m1 + m2 + 4f * m3;
        target[3 * stride] = m1 - m2 + 8f * m3 + m4;
    }

    /// <summary>d_v[t] = source[8t + v] for t = 0 … 7 and v = 0 … 8: the 65 floats at source by eights.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(float* source, out Vector256<float> d0, out Vector256<float> d1, out Vector256<float> d2, out Vector256<float> d3,
        out Vector256<float> d4, out Vector256<float> d5, out Vector256<float> d6, out Vector256<float> d7, out Vector256<float> d8)
    {
        if (Avx2.IsSupported)
        {
            // An 8×8 transpose: pairs of rows unpacked, pairs of pairs shuffled, then the 128-bit halves joined.
            var (r0, r1, r2, r3) = (Avx.LoadVector256(source), Avx.LoadVector256(source + 8), Avx.LoadVector256(source + 16), Avx.LoadVector256(source + 24));
            var (r4, r5, r6, r7) = (Avx.LoadVector256(source + 32), Avx.LoadVector256(source + 40), Avx.LoadVector256(source + 48),
                Avx.LoadVector256(source + 56));
            var (t0, t1, t2, t3) = (Avx.UnpackLow(r0, r1), Avx.UnpackHigh(r0, r1), Avx.UnpackLow(r2, r3), Avx.UnpackHigh(r2, r3));
            var (t4, t5, t6, t7) = (Avx.UnpackLow(r4, r5), Avx.UnpackHigh(r4, r5), Avx.UnpackLow(r6, r7), Avx.UnpackHigh(r6, r7));
            var (s0, s1, s2, s3) = (Avx.Shuffle(t0, t2, 0x44), Avx.Shuffle(t0, t2, 0xEE), Avx.Shuffle(t1, t3, 0x44), Avx.Shuffle(t1, t3, 0xEE));
            var (s4, s5, s6, s7) = (Avx.Shuffle(t4, t6, 0x44), Avx.Shuffle(t4, t6, 0xEE), Avx.Shuffle(t5, t7, 0x44), Avx.Shuffle(t5, t7, 0xEE));
            d0 = Avx.Permute2x128(s0, s4, 0x20);
            d1 = Avx.Permute2x128(s1, s5, 0x20);
            d2 = Avx.Permute2x128(s2, s6, 0x20);
            d3 = Avx.Permute2x128(s3, s7, 0x20);
            d4 = Avx.Permute2x128(s0, s4, 0x31);
            d5 = Avx.Permute2x128(s1, s5, 0x31);
            d6 = Avx.Permute2x128(s2, s6, 0x31);
            d7 = Avx.Permute2x128(s3, s7, 0x31);
            // Column 8 of tile t is column 0 of tile t + 1: shift a lane down, the next group's first value last.
            d8 = Avx.Blend(Avx2.PermuteVar8x32(d0, Vector256.Create(1, 2, 3, 4, 5, 6, 7, 0)), Vector256.Create(source[64]), 0x80);
            return;
        }
        d0 = Gather(source);
        d1 = Gather(source + 1);
        d2 = Gather(source + 2);
        d3 = Gather(source + 3);
        d4 = Gather(source + 4);
        d5 = Gather(source + 5);
        d6 = Gather(source + 6);
        d7 = Gather(source + 7);
        d8 = Gather(source + 8);

        static Vector256<float> Gather(float* s) => Vector256.Create(s[0], s[8], s[16], s[24], s[32], s[40], s[48], s[56]);
    }
}

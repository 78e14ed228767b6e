using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MusicSearch.Inference.Backends.Cpu;

/// <summary>Data movement: transposes, time pooling, rotary embedding.</summary>
internal static unsafe class LayoutKernels
{
    /// <summary>Tile edge of the transpose: a 32×32 tile of source and destination (8 KiB) stays in L1.</summary>
    public const int TransposeTile = 32;

    /// <summary>
    /// Transposes rows [r0, r1) of an R×C matrix into the C×R destination (column r of the destination
    /// receives row r), tile by tile so both sides are read and written a cache line at a time; inside a tile,
    /// 8×8 blocks are transposed in AVX registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Transpose(float* source, float* destination, int rows, int columns, int r0, int r1)
    {
        for (var rt = r0; rt < r1; rt += TransposeTile)
        {
            var rEnd = Math.Min(rt + TransposeTile, r1);
            for (var ct = 0; ct < columns; ct += TransposeTile)
            {
                var cEnd = Math.Min(ct + TransposeTile, columns);
                var r = rt;
                if (Avx.IsSupported)
                {
                    for (; r <= rEnd - 8; r += 8)
                    {
                        var c = ct;
                        for (; c <= cEnd - 8; c += 8)
                        {
                            Transpose8x8(source + (long)r * columns + c, columns, destination + (long)c * rows + r, rows);
                        }
                        TransposeScalar(source, destination, rows, columns, r, r + 8, c, cEnd);
                    }
                }
                TransposeScalar(source, destination, rows, columns, r, rEnd, ct, cEnd);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeScalar(float* source, float* destination, int rows, int columns, int r0, int r1, int c0, int c1)
    {
        for (var r = r0; r < r1; r++)
        {
            var from = source + (long)r * columns;
            var to = destination + r;
            for (var c = c0; c < c1; c++)
            {
                to[(long)c * rows] = from[c];
            }
        }
    }

    /// <summary>One 8×8 block: interleave pairs of rows, then pairs of pairs, then swap 128-bit halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose8x8(float* source, int sourceStride, float* destination, int destinationStride)
    {
        var r0 = Avx.LoadVector256(source);
        var r1 = Avx.LoadVector256(source + sourceStride);
        var r2 = Avx.LoadVector256(source + 2L * sourceStride);
        var r3 = Avx.LoadVector256(source + 3L * sourceStride);
        var r4 = Avx.LoadVector256(source + 4L * sourceStride);
        var r5 = Avx.LoadVector256(source + 5L * sourceStride);
        var r6 = Avx.LoadVector256(source + 6L * sourceStride);
        var r7 = Avx.LoadVector256(source + 7L * sourceStride);

        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);

        var s0 = Avx.Shuffle(t0, t2, 0x44);
        var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44);
        var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44);
        var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44);
        var s7 = Avx.Shuffle(t5, t7, 0xEE);

        Avx.Store(destination, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(destination + destinationStride, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(destination + 2L * destinationStride, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(destination + 3L * destinationStride, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(destination + 4L * destinationStride, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(destination + 5L * destinationStride, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(destination + 6L * destinationStride, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(destination + 7L * destinationStride, Avx.Permute2x128(s3, s7, 0x31));
    }

    /// <summary>Mean over T of one [T, C] slice into [C].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MeanOverTime(float* x, float* y, int length, int channels)
    {
        var sum = new Span<float>(y, channels);
        new ReadOnlySpan<float>(x, channels).CopyTo(sum);
        for (var t = 1; t < length; t++)
        {
            TensorPrimitives.Add(sum, new ReadOnlySpan<float>(x + (long)t * channels, channels), sum);
        }
        TensorPrimitives.Multiply(sum, 1f / length, sum);
    }

    /// <summary>
    /// Rotary embedding of one position's row of H features (H/d chunks of d) with that position's cos/sin
    /// rows [d]: x' = x⊙cos + rot(x)⊙sin, rot(x) = [−x[d/2:], x[:d/2]]. Both halves are read before either
    /// is written, so x and y may be the same row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rotary(float* x, float* y, int width, float* cos, float* sin, int headDim)
    {
        var half = headDim / 2;
        for (var chunk = 0; chunk < width; chunk += headDim)
        {
            var first = x + chunk;
            var second = first + half;
            var j = 0;
            for (; j <= half - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                var a = Vector256.Load(first + j);
                var b = Vector256.Load(second + j);
                var rotatedFirst = a * Vector256.Load(cos + j) - b * Vector256.Load(sin + j);
                var rotatedSecond = b * Vector256.Load(cos + half + j) + a * Vector256.Load(sin + half + j);
                Vector256.Store(rotatedFirst, y + chunk + j);
                Vector256.Store(rotatedSecond, y + chunk + half + j);
            }
            for (; j < half; j++)
            {
                var a = first[j];
                var b = second[j];
                y[chunk + j] = a * cos[j] - b * sin[j];
                y[chunk + half + j] = b * cos[half + j] + a * sin[half + j];
            }
        }
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MusicSearch.Core.Vectors;

/// <summary>
/// The dot-product kernels: fp32 (AVX2 + FMA through <see cref="Vector256"/>) and int8 (AVX2 vpmaddubsw, scalar
/// fallback). Rows come in tiles of four so one pass over memory feeds four independent accumulator chains.
/// </summary>
internal static class VectorMath
{
    public static void CheckVector(ReadOnlySpan<float> vector, int dimensions, string parameter)
    {
        if (vector.Length != dimensions)
        {
            throw new ArgumentException($"expected a vector of {dimensions} dimensions, got {vector.Length}", parameter);
        }
        for (var i = 0; i < vector.Length; i++)
        {
            if (!float.IsFinite(vector[i]))
            {
                throw new ArgumentException($"the vector holds {vector[i]} at dimension {i}; NaN and infinity are not allowed", parameter);
            }
        }
    }

    /// <summary>Writes the unit vector of <paramref name="source"/> into <paramref name="destination"/>, zeroing its padding.</summary>
    public static void Normalise(ReadOnlySpan<float> source, Span<float> destination, string parameter)
    {
        // Double accumulation keeps the norm exact enough that normalising an already-unit vector is a no-op in practice.
        var sum = 0.0;
        foreach (var value in source)
        {
            sum += (double)value * value;
        }
        if (sum == 0 || !double.IsFinite(sum))
        {
            throw new ArgumentException("a zero (or overflowing) vector has no direction and cannot be normalised", parameter);
        }
        var scale = 1.0 / Math.Sqrt(sum);
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = (float)(source[i] * scale);
        }
        destination[source.Length..].Clear();
    }

    // The fp32 kernels below give every (row, query) pair one 8-lane accumulator, fed in ascending 8-float steps, and
    // reduce it in one fixed order (see Sum). Scores therefore do not depend on how rows and queries are tiled: single,
    // batched and threaded searches and the fp32 rescoring of int8 candidates return bit-identical scores. Latency is
    // hidden by the tiles' independent accumulators (4 or 8), not by splitting one pair's sum.

    /// <summary>Dot product over <paramref name="length"/> floats, a multiple of 8.</summary>
    public static float Dot(ref float a, ref float b, int length)
    {
        var sum = Vector256<float>.Zero;
        for (var i = 0; i < length; i += 8)
        {
            sum = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref a, (nuint)i), Vector256.LoadUnsafe(ref b, (nuint)i), sum);
        }
        return Sum(sum);
    }

    /// <summary>Four consecutive rows, <paramref name="stride"/> floats apart, against one query: the single-query scan.</summary>
    public static Vector128<float> Dot4x1(ref float rows, int stride, ref float query, int length)
    {
        ref var r1 = ref Unsafe.Add(ref rows, stride);
        ref var r2 = ref Unsafe.Add(ref rows, 2 * stride);
        ref var r3 = ref Unsafe.Add(ref rows, 3 * stride);
        Vector256<float> a = default, b = default, c = default, d = default;
        for (var i = 0; i < length; i += 8)
        {
            var q = Vector256.LoadUnsafe(ref query, (nuint)i);
            a = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref rows, (nuint)i), q, a);
            b = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r1, (nuint)i), q, b);
            c = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r2, (nuint)i), q, c);
            d = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r3, (nuint)i), q, d);
        }
        return Sum4(a, b, c, d);
    }

    /// <summary>Four consecutive rows against two queries: the batch's tail when the queries do not divide by three.</summary>
    public static void Dot4x2(ref float rows, int stride, ref float query0, ref float query1, int length,
        out Vector128<float> scores0, out Vector128<float> scores1)
    {
        ref var r1 = ref Unsafe.Add(ref rows, stride);
        ref var r2 = ref Unsafe.Add(ref rows, 2 * stride);
        ref var r3 = ref Unsafe.Add(ref rows, 3 * stride);
        Vector256<float> a0 = default, b0 = default, c0 = default, d0 = default, a1 = default, b1 = default, c1 = default, d1 = default;
        for (var i = 0; i < length; i += 8)
        {
            var p = Vector256.LoadUnsafe(ref query0, (nuint)i);
            var q = Vector256.LoadUnsafe(ref query1, (nuint)i);
            var x = Vector256.LoadUnsafe(ref rows, (nuint)i);
            a0 = Vector256.FusedMultiplyAdd(x, p, a0);
            a1 = Vector256.FusedMultiplyAdd(x, q, a1);
            x = Vector256.LoadUnsafe(ref r1, (nuint)i);
            b0 = Vector256.FusedMultiplyAdd(x, p, b0);
            b1 = Vector256.FusedMultiplyAdd(x, q, b1);
            x = Vector256.LoadUnsafe(ref r2, (nuint)i);
            c0 = Vector256.FusedMultiplyAdd(x, p, c0);
            c1 = Vector256.FusedMultiplyAdd(x, q, c1);
            x = Vector256.LoadUnsafe(ref r3, (nuint)i);
            d0 = Vector256.FusedMultiplyAdd(x, p, d0);
            d1 = Vector256.FusedMultiplyAdd(x, q, d1);
        }
        scores0 = Sum4(a0, b0, c0, d0);
        scores1 = Sum4(a1, b1, c1, d1);
    }

    /// <summary>
    /// Four consecutive rows against three queries: the batched scan. Twelve accumulators plus the three query vectors
    /// fill the sixteen AVX registers, enough independent chains to keep both FMA pipes busy through the FMA latency;
    /// each step loads seven vectors for twelve FMAs. (Measured here: about 85 % of the FMA peak on L2-resident data,
    /// against about 65 % for four rows × two queries.)
    /// </summary>
    public static void Dot4x3(ref float rows, int stride, ref float query0, ref float query1, ref float query2, int length,
        out Vector128<float> scores0, out Vector128<float> scores1, out Vector128<float> scores2)
    {
        ref var r1 = ref Unsafe.Add(ref rows, stride);
        ref var r2 = ref Unsafe.Add(ref rows, 2 * stride);
        ref var r3 = ref Unsafe.Add(ref rows, 3 * stride);
        Vector256<float> a0 = default, b0 = default, c0 = default, d0 = default, a1 = default, b1 = default, c1 = default, d1 = default;
        Vector256<float> a2 = default, b2 = default, c2 = default, d2 = default;
        for (var i = 0; i < length; i += 8)
        {
            var p = Vector256.LoadUnsafe(ref query0, (nuint)i);
            var q = Vector256.LoadUnsafe(ref query1, (nuint)i);
            var s = Vector256.LoadUnsafe(ref query2, (nuint)i);
            var x = Vector256.LoadUnsafe(ref rows, (nuint)i);
            a0 = Vector256.FusedMultiplyAdd(x, p, a0);
            a1 = Vector256.FusedMultiplyAdd(x, q, a1);
            a2 = Vector256.FusedMultiplyAdd(x, s, a2);
            x = Vector256.LoadUnsafe(ref r1, (nuint)i);
            b0 = Vector256.FusedMultiplyAdd(x, p, b0);
            b1 = Vector256.FusedMultiplyAdd(x, q, b1);
            b2 = Vector256.FusedMultiplyAdd(x, s, b2);
            x = Vector256.LoadUnsafe(ref r2, (nuint)i);
            c0 = Vector256.FusedMultiplyAdd(x, p, c0);
            c1 = Vector256.FusedMultiplyAdd(x, q, c1);
            c2 = Vector256.FusedMultiplyAdd(x, s, c2);
            x = Vector256.LoadUnsafe(ref r3, (nuint)i);
            d0 = Vector256.FusedMultiplyAdd(x, p, d0);
            d1 = Vector256.FusedMultiplyAdd(x, q, d1);
            d2 = Vector256.FusedMultiplyAdd(x, s, d2);
        }
        scores0 = Sum4(a0, b0, c0, d0);
        scores1 = Sum4(a1, b1, c1, d1);
        scores2 = Sum4(a2, b2, c2, d2);
    }

    /// <summary>The lanes' sum in the one order every kernel uses: ((x0 + x1) + (x2 + x3)) + ((x4 + x5) + (x6 + x7)).</summary>
    private static float Sum(Vector256<float> v)
    {
        if (Avx.IsSupported)
        {
            var pairs = Avx.HorizontalAdd(v, v);
            var quads = Avx.HorizontalAdd(pairs, pairs);
            return quads.ToScalar() + quads.GetUpper().ToScalar();
        }
        return ((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7]));
    }

    /// <summary>Four lane sums at once, each in exactly the order of <see cref="Sum"/> (float addition is commutative).</summary>
    private static Vector128<float> Sum4(Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d)
    {
        if (Avx.IsSupported)
        {
            // Lane j of the low half ends as (x0 + x1) + (x2 + x3) of input j, lane j of the high half as (x4 + x5) + (x6 + x7).
            var quads = Avx.HorizontalAdd(Avx.HorizontalAdd(a, b), Avx.HorizontalAdd(c, d));
            return quads.GetLower() + quads.GetUpper();
        }
        return Vector128.Create(Sum(a), Sum(b), Sum(c), Sum(d));
    }

    // The int8 kernels compute Σ u · q over unsigned codes u = c + 128 (see VectorMatrix.Codes) and a signed query
    // q ∈ [-QueryLimit, QueryLimit]; the caller subtracts the per-query constant 128 · Σ q to get Σ c · q. With AVX2 a
    // 32-code step is one vpmaddubsw (u8 × s8, adjacent pairs summed into int16): a pair is at most 2 · 255 · 32 = 16320,
    // so it never saturates and two steps add up in int16 (32640) before one vpmaddwd widens them to int32. Three
    // multiply-class instructions per 64 codes instead of four, which is what bounds the batched scan.

    /// <summary>The largest query magnitude the int8 kernels accept.</summary>
    public const int QueryLimit = 32;

    /// <summary>Codes per step of the int8 kernels; code rows are padded to a multiple of it.</summary>
    public const int Int8Step = 64;

    /// <summary>Σ u · q of four consecutive code rows with one query over <paramref name="length"/> codes, a multiple of 64.</summary>
    public static Vector128<int> Int8Dot4x1(ref byte rows, int stride, ref sbyte query, int length)
    {
        if (!Avx2.IsSupported)
        {
            return Vector128.Create(Int8Dot(ref rows, ref query, length), Int8Dot(ref Unsafe.Add(ref rows, stride), ref query, length),
                Int8Dot(ref Unsafe.Add(ref rows, 2 * stride), ref query, length), Int8Dot(ref Unsafe.Add(ref rows, 3 * stride), ref query, length));
        }
        ref var r1 = ref Unsafe.Add(ref rows, stride);
        ref var r2 = ref Unsafe.Add(ref rows, 2 * stride);
        ref var r3 = ref Unsafe.Add(ref rows, 3 * stride);
        var ones = Vector256.Create((short)1);
        Vector256<int> a = default, b = default, c = default, d = default;
        for (var i = 0; i < length; i += Int8Step)
        {
            a = Avx2.Add(a, MultiplyAdd(ref rows, i, ref query, ones));
            b = Avx2.Add(b, MultiplyAdd(ref r1, i, ref query, ones));
            c = Avx2.Add(c, MultiplyAdd(ref r2, i, ref query, ones));
            d = Avx2.Add(d, MultiplyAdd(ref r3, i, ref query, ones));
        }
        return Sum4(a, b, c, d);
    }

    /// <summary>
    /// Σ u · q of four consecutive code rows with two queries: the batched int8 scan. Row by row, so eight accumulators,
    /// the two halves of a row step and the ones fit the sixteen AVX registers; the queries are memory operands (L1).
    /// </summary>
    public static void Int8Dot4x2(ref byte rows, int stride, ref sbyte query0, ref sbyte query1, int length,
        out Vector128<int> scores0, out Vector128<int> scores1)
    {
        if (!Avx2.IsSupported)
        {
            scores0 = Int8Dot4x1(ref rows, stride, ref query0, length);
            scores1 = Int8Dot4x1(ref rows, stride, ref query1, length);
            return;
        }
        ref var r1 = ref Unsafe.Add(ref rows, stride);
        ref var r2 = ref Unsafe.Add(ref rows, 2 * stride);
        ref var r3 = ref Unsafe.Add(ref rows, 3 * stride);
        var ones = Vector256.Create((short)1);
        Vector256<int> a0 = default, b0 = default, c0 = default, d0 = default, a1 = default, b1 = default, c1 = default, d1 = default;
        for (var i = 0; i < length; i += Int8Step)
        {
            a0 = Avx2.Add(a0, MultiplyAdd(ref rows, i, ref query0, ones));
            a1 = Avx2.Add(a1, MultiplyAdd(ref rows, i, ref query1, ones));
            b0 = Avx2.Add(b0, MultiplyAdd(ref r1, i, ref query0, ones));
            b1 = Avx2.Add(b1, MultiplyAdd(ref r1, i, ref query1, ones));
            c0 = Avx2.Add(c0, MultiplyAdd(ref r2, i, ref query0, ones));
            c1 = Avx2.Add(c1, MultiplyAdd(ref r2, i, ref query1, ones));
            d0 = Avx2.Add(d0, MultiplyAdd(ref r3, i, ref query0, ones));
            d1 = Avx2.Add(d1, MultiplyAdd(ref r3, i, ref query1, ones));
        }
        scores0 = Sum4(a0, b0, c0, d0);
        scores1 = Sum4(a1, b1, c1, d1);
    }

    /// <summary>Σ u · q of one code row with a query over <paramref name="length"/> codes (the scalar reference and the fallback).</summary>
    public static int Int8Dot(ref byte codes, ref sbyte query, int length)
    {
        var sum = 0;
        for (var i = 0; i < length; i++)
        {
            sum += Unsafe.Add(ref codes, i) * Unsafe.Add(ref query, i);
        }
        return sum;
    }

    /// <summary>One 64-code step of one row and one query: two vpmaddubsw summed in int16, widened by vpmaddwd with ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> MultiplyAdd(ref byte row, int i, ref sbyte query, Vector256<short> ones) =>
        Avx2.MultiplyAddAdjacent(Avx2.Add(
            Avx2.MultiplyAddAdjacent(Vector256.LoadUnsafe(ref row, (nuint)i), Vector256.LoadUnsafe(ref query, (nuint)i)),
            Avx2.MultiplyAddAdjacent(Vector256.LoadUnsafe(ref row, (nuint)(i + 32)), Vector256.LoadUnsafe(ref query, (nuint)(i + 32)))), ones);

    private static Vector128<int> Sum4(Vector256<int> a, Vector256<int> b, Vector256<int> c, Vector256<int> d)
    {
        var quads = Avx2.HorizontalAdd(Avx2.HorizontalAdd(a, b), Avx2.HorizontalAdd(c, d));
        return quads.GetLower() + quads.GetUpper();
    }

    /// <summary>An element by reference without a bounds check: callers index within rows and queries they sized.</summary>
    public static ref T At<T>(T[] array, int offset) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), offset);
}

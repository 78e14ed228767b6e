using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MusicSearch.Core.Vectors;

/// <summary>
/// The dot-product kernels. The one- and four-query fp32 kernels accumulate in exactly the same order (two 8-lane
/// accumulators, the odd 8-float tail into the first), so batched and single searches return bit-identical scores.
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

    /// <summary>Dot product over <paramref name="length"/> floats, a multiple of 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ref float a, ref float b, int length)
    {
        var s0 = Vector256<float>.Zero;
        var s1 = Vector256<float>.Zero;
        var i = 0;
        for (; i <= length - 16; i += 16)
        {
            s0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref a, (nuint)i), Vector256.LoadUnsafe(ref b, (nuint)i), s0);
            s1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref a, (nuint)(i + 8)), Vector256.LoadUnsafe(ref b, (nuint)(i + 8)), s1);
        }
        if (i < length)
        {
            s0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref a, (nuint)i), Vector256.LoadUnsafe(ref b, (nuint)i), s0);
        }
        return Vector256.Sum(s0 + s1);
    }

    /// <summary>One row against four queries laid out <paramref name="stride"/> apart: the row is loaded once for all four.</summary>
    public static void Dot4(ref float row, ref float queries, int stride, int length, Span<float> scores)
    {
        ref var q1 = ref Unsafe.Add(ref queries, stride);
        ref var q2 = ref Unsafe.Add(ref queries, 2 * stride);
        ref var q3 = ref Unsafe.Add(ref queries, 3 * stride);
        Vector256<float> a0 = default, a1 = default, b0 = default, b1 = default, c0 = default, c1 = default, d0 = default, d1 = default;
        var i = 0;
        for (; i <= length - 16; i += 16)
        {
            var r0 = Vector256.LoadUnsafe(ref row, (nuint)i);
            var r1 = Vector256.LoadUnsafe(ref row, (nuint)(i + 8));
            a0 = Vector256.FusedMultiplyAdd(r0, Vector256.LoadUnsafe(ref queries, (nuint)i), a0);
            a1 = Vector256.FusedMultiplyAdd(r1, Vector256.LoadUnsafe(ref queries, (nuint)(i + 8)), a1);
            b0 = Vector256.FusedMultiplyAdd(r0, Vector256.LoadUnsafe(ref q1, (nuint)i), b0);
            b1 = Vector256.FusedMultiplyAdd(r1, Vector256.LoadUnsafe(ref q1, (nuint)(i + 8)), b1);
            c0 = Vector256.FusedMultiplyAdd(r0, Vector256.LoadUnsafe(ref q2, (nuint)i), c0);
            c1 = Vector256.FusedMultiplyAdd(r1, Vector256.LoadUnsafe(ref q2, (nuint)(i + 8)), c1);
            d0 = Vector256.FusedMultiplyAdd(r0, Vector256.LoadUnsafe(ref q3, (nuint)i), d0);
            d1 = Vector256.FusedMultiplyAdd(r1, Vector256.LoadUnsafe(ref q3, (nuint)(i + 8)), d1);
        }
        if (i < length)
        {
            var r0 = Vector256.LoadUnsafe(ref row, (nuint)i);
            a0 = Vector256.FusedMultiplyAdd(r0, Vector256.LoadUnsafe(ref queries, (nuint)i), a0);
            b0 = Vector256.FusedMultiplyAdd(r0, Vector256.LoadUnsafe(ref q1, (nuint)i), b0);
            c0 = Vector256.FusedMultiplyAdd(r0, Vector256.LoadUnsafe(ref q2, (nuint)i), c0);
            d0 = Vector256.FusedMultiplyAdd(r0, Vector256.LoadUnsafe(ref q3, (nuint)i), d0);
        }
        scores[0] = Vector256.Sum(a0 + a1);
        scores[1] = Vector256.Sum(b0 + b1);
        scores[2] = Vector256.Sum(c0 + c1);
        scores[3] = Vector256.Sum(d0 + d1);
    }

    /// <summary>
    /// Integer dot product of int8 codes with an int16 query over <paramref name="length"/> elements, a multiple of 16.
    /// With AVX2 the codes are sign-extended to int16 and multiplied pairwise into int32 lanes (vpmaddwd).
    /// </summary>
    public static int DotInt8(ref sbyte codes, ref short query, int length)
    {
        if (Avx2.IsSupported)
        {
            var s0 = Vector256<int>.Zero;
            var s1 = Vector256<int>.Zero;
            var i = 0;
            for (; i <= length - 32; i += 32)
            {
                var c0 = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref codes, (nuint)i));
                var c1 = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref codes, (nuint)(i + 16)));
                s0 = Avx2.Add(s0, Avx2.MultiplyAddAdjacent(c0, Vector256.LoadUnsafe(ref query, (nuint)i)));
                s1 = Avx2.Add(s1, Avx2.MultiplyAddAdjacent(c1, Vector256.LoadUnsafe(ref query, (nuint)(i + 16))));
            }
            if (i < length)
            {
                var c0 = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref codes, (nuint)i));
                s0 = Avx2.Add(s0, Avx2.MultiplyAddAdjacent(c0, Vector256.LoadUnsafe(ref query, (nuint)i)));
            }
            return Vector256.Sum(s0 + s1);
        }
        var sum = 0;
        for (var i = 0; i < length; i++)
        {
            sum += Unsafe.Add(ref codes, i) * Unsafe.Add(ref query, i);
        }
        return sum;
    }

    public static ref float At(float[] array, int offset) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), offset);

    public static ref sbyte At(sbyte[] array, int offset) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), offset);
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MusicSearch.Inference.Backends.Cpu;

/// <summary>
/// Complex FFTs of eight signals at once, one per vector lane, so every butterfly is plain vector arithmetic
/// with broadcast twiddles and no shuffles. A buffer holds M complex elements; element e is 16 floats at
/// e·16: eight real parts, then eight imaginary parts (one cache line).
/// </summary>
internal static unsafe class FftKernels
{
    public const int Lanes = 8;

    /// <summary>Floats per buffer element (eight complex lanes).</summary>
    public const int ElementFloats = 2 * Lanes;

    /// <summary>
    /// Runs the plan's stages in place on a buffer loaded in the plan's permuted order; the transform comes out
    /// in natural order. <paramref name="scratch"/> holds 2·MaxRadix vectors for the generic butterfly.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Transform(in FftTables plan, float* buffer, float* scratch)
    {
        for (var s = 0; s < plan.StageCount; s++)
        {
            var stage = plan.Stages[s];
            var twiddles = plan.Twiddles + 2 * stage.TwiddleOffset;
            switch (stage.Radix)
            {
                case 2:
                    Radix2(buffer, plan.Length, stage.Span, twiddles);
                    break;
                case 4:
                    Radix4(buffer, plan.Length, stage.Span, twiddles);
                    break;
                default:
                    RadixGeneric(buffer, plan.Length, stage.Span, stage.Radix, twiddles, plan.Roots + 2 * stage.RootOffset, scratch);
                    break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Radix2(float* buffer, int length, int span, float* twiddles)
    {
        for (var block = 0; block < length; block += 2 * span)
        {
            for (var k = 0; k < span; k++)
            {
                var p0 = buffer + (long)(block + k) * ElementFloats;
                var p1 = p0 + (long)span * ElementFloats;
                var (ar, ai) = (Vector256.Load(p0), Vector256.Load(p0 + Lanes));
                var (br, bi) = Twiddle(p1, twiddles + 2 * k);
                Vector256.Store(ar + br, p0);
                Vector256.Store(ai + bi, p0 + Lanes);
                Vector256.Store(ar - br, p1);
                Vector256.Store(ai - bi, p1 + Lanes);
            }
        }
    }

    /// <summary>Forward radix-4 butterfly (W_4 = −i) after the twiddles W^{j·k}, j = 1 … 3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Radix4(float* buffer, int length, int span, float* twiddles)
    {
        var stride = (long)span * ElementFloats;
        for (var block = 0; block < length; block += 4 * span)
        {
            for (var k = 0; k < span; k++)
            {
                var p0 = buffer + (long)(block + k) * ElementFloats;
                var w = twiddles + 6 * k;
                var (x0r, x0i) = (Vector256.Load(p0), Vector256.Load(p0 + Lanes));
                var (x1r, x1i) = Twiddle(p0 + stride, w);
                var (x2r, x2i) = Twiddle(p0 + 2 * stride, w + 2);
                var (x3r, x3i) = Twiddle(p0 + 3 * stride, w + 4);
                var (t0r, t0i) = (x0r + x2r, x0i + x2i);
                var (t1r, t1i) = (x0r - x2r, x0i - x2i);
                var (t2r, t2i) = (x1r + x3r, x1i + x3i);
                var (t3r, t3i) = (x1r - x3r, x1i - x3i);
                Vector256.Store(t0r + t2r, p0);
                Vector256.Store(t0i + t2i, p0 + Lanes);
                // y1 = t1 − i·t3, y3 = t1 + i·t3.
                Vector256.Store(t1r + t3i, p0 + stride);
                Vector256.Store(t1i - t3r, p0 + stride + Lanes);
                Vector256.Store(t0r - t2r, p0 + 2 * stride);
                Vector256.Store(t0i - t2i, p0 + 2 * stride + Lanes);
                Vector256.Store(t1r - t3i, p0 + 3 * stride);
                Vector256.Store(t1i + t3r, p0 + 3 * stride + Lanes);
            }
        }
    }

    /// <summary>Any radix r: y_q = Σ_j W^{j·k}·x_j·W_r^{j·q}, O(r²) per butterfly (odd prime factors).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RadixGeneric(float* buffer, int length, int span, int radix, float* twiddles, float* roots, float* scratch)
    {
        var stride = (long)span * ElementFloats;
        for (var block = 0; block < length; block += radix * span)
        {
            for (var k = 0; k < span; k++)
            {
                var p0 = buffer + (long)(block + k) * ElementFloats;
                var w = twiddles + 2 * (radix - 1) * k;
                Vector256.Store(Vector256.Load(p0), scratch);
                Vector256.Store(Vector256.Load(p0 + Lanes), scratch + Lanes);
                for (var j = 1; j < radix; j++)
                {
                    var (re, im) = Twiddle(p0 + j * stride, w + 2 * (j - 1));
                    Vector256.Store(re, scratch + j * ElementFloats);
                    Vector256.Store(im, scratch + j * ElementFloats + Lanes);
                }
                for (var q = 0; q < radix; q++)
                {
                    var (sumRe, sumIm) = (Vector256.Load(scratch), Vector256.Load(scratch + Lanes));
                    for (var j = 1; j < radix; j++)
                    {
                        var root = roots + 2 * (j * q % radix);
                        var (wr, wi) = (Vector256.Create(root[0]), Vector256.Create(root[1]));
                        var (xr, xi) = (Vector256.Load(scratch + j * ElementFloats), Vector256.Load(scratch + j * ElementFloats + Lanes));
                        sumRe = Vector256.FusedMultiplyAdd(xr, wr, Vector256.FusedMultiplyAdd(-xi, wi, sumRe));
                        sumIm = Vector256.FusedMultiplyAdd(xr, wi, Vector256.FusedMultiplyAdd(xi, wr, sumIm));
                    }
                    Vector256.Store(sumRe, p0 + q * stride);
                    Vector256.Store(sumIm, p0 + q * stride + Lanes);
                }
            }
        }
    }

    /// <summary>The element at <paramref name="element"/> times the broadcast complex twiddle at <paramref name="twiddle"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> Re, Vector256<float> Im) Twiddle(float* element, float* twiddle)
    {
        var (xr, xi) = (Vector256.Load(element), Vector256.Load(element + Lanes));
        var (wr, wi) = (Vector256.Create(twiddle[0]), Vector256.Create(twiddle[1]));
        return (Vector256.FusedMultiplyAdd(xr, wr, -(xi * wi)), Vector256.FusedMultiplyAdd(xr, wi, xi * wr));
    }
}

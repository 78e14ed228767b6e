using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MusicSearch.Inference.Backends.Cpu;

/// <summary>Row statistics and normalisations: LayerNorm, GroupNorm, LayerNorm over channels, softmax.</summary>
internal static unsafe class NormalizationKernels
{
    /// <summary>
    /// Mean and biased variance of n contiguous values, two-pass (no cancellation of E[x²] − E[x]²) with
    /// double accumulators, so long rows (a GroupNorm channel over 144 000 frames) lose nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double Mean, double Variance) Moments(float* x, long n)
    {
        var sum0 = Vector256<double>.Zero;
        var sum1 = Vector256<double>.Zero;
        long i = 0;
        for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var (lower, upper) = Vector256.Widen(Vector256.Load(x + i));
            sum0 += lower;
            sum1 += upper;
        }
        var sum = Vector256.Sum(sum0 + sum1);
        for (; i < n; i++)
        {
            sum += x[i];
        }
        var mean = sum / n;

        var meanVector = Vector256.Create(mean);
        var squares0 = Vector256<double>.Zero;
        var squares1 = Vector256<double>.Zero;
        for (i = 0; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var (lower, upper) = Vector256.Widen(Vector256.Load(x + i));
            lower -= meanVector;
            upper -= meanVector;
            squares0 = Vector256.FusedMultiplyAdd(lower, lower, squares0);
            squares1 = Vector256.FusedMultiplyAdd(upper, upper, squares1);
        }
        var squares = Vector256.Sum(squares0 + squares1);
        for (; i < n; i++)
        {
            var d = x[i] - mean;
            squares += d * d;
        }
        return (mean, squares / n);
    }

    /// <summary>
    /// y = (x − mean)·rstd·γ + β over one run; γ/β are per element (LayerNorm, null for none) or, when
    /// <paramref name="perElement"/> is false, one value each (a GroupNorm channel). The mean is subtracted
    /// as an fp32 pair (rounded mean, then its rounding error), so rows with a large common offset keep
    /// their precision: x − mean is exact for x near the mean.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Normalize(float* x, float* y, int n, double mean, float inverseStd, float* gamma, float* beta, bool perElement)
    {
        var meanHigh = (float)mean;
        var meanLow = (float)(mean - meanHigh);
        var meanVector = Vector256.Create(meanHigh);
        var meanLowVector = Vector256.Create(meanLow);
        var scaleVector = Vector256.Create(inverseStd);
        var gammaScalar = gamma == null || perElement ? 1f : gamma[0];
        var betaScalar = beta == null || perElement ? 0f : beta[0];
        var gammaVector = Vector256.Create(gammaScalar);
        var betaVector = Vector256.Create(betaScalar);
        var i = 0;
        for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var value = (Vector256.Load(x + i) - meanVector - meanLowVector) * scaleVector;
            if (perElement)
            {
                value = gamma == null ? value : value * Vector256.Load(gamma + i);
                value = beta == null ? value : value + Vector256.Load(beta + i);
            }
            else
            {
                value = Vector256.FusedMultiplyAdd(value, gammaVector, betaVector);
            }
            Vector256.Store(value, y + i);
        }
        for (; i < n; i++)
        {
            var value = (x[i] - meanHigh - meanLow) * inverseStd;
            if (perElement)
            {
                value = gamma == null ? value : value * gamma[i];
                value = beta == null ? value : value + beta[i];
            }
            else
            {
                value = MathF.FusedMultiplyAdd(value, gammaScalar, betaScalar);
            }
            y[i] = value;
        }
    }

    /// <summary>
    /// LayerNorm over the channel axis of one [C, T] slice, for columns [t0, t1): statistics per column, in
    /// blocks of 32 columns so the three passes down the channels stay in cache and run 4 vectors wide.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LayerNormOverChannels(float* x, float* y, int channels, int length, int t0, int t1, float epsilon, float* gamma, float* beta)
    {
        const int Block = 4 * 8;
        var t = t0;
        var inverseChannels = 1f / channels;
        for (; t <= t1 - Block; t += Block)
        {
            var s0 = Vector256<float>.Zero;
            var s1 = Vector256<float>.Zero;
            var s2 = Vector256<float>.Zero;
            var s3 = Vector256<float>.Zero;
            for (var c = 0; c < channels; c++)
            {
                var row = x + (long)c * length + t;
                s0 += Vector256.Load(row);
                s1 += Vector256.Load(row + 8);
                s2 += Vector256.Load(row + 16);
                s3 += Vector256.Load(row + 24);
            }
            var n = Vector256.Create(inverseChannels);
            var m0 = s0 * n;
            var m1 = s1 * n;
            var m2 = s2 * n;
            var m3 = s3 * n;
            s0 = s1 = s2 = s3 = Vector256<float>.Zero;
            for (var c = 0; c < channels; c++)
            {
                var row = x + (long)c * length + t;
                var d0 = Vector256.Load(row) - m0;
                var d1 = Vector256.Load(row + 8) - m1;
                var d2 = Vector256.Load(row + 16) - m2;
                var d3 = Vector256.Load(row + 24) - m3;
                s0 = Vector256.FusedMultiplyAdd(d0, d0, s0);
                s1 = Vector256.FusedMultiplyAdd(d1, d1, s1);
                s2 = Vector256.FusedMultiplyAdd(d2, d2, s2);
                s3 = Vector256.FusedMultiplyAdd(d3, d3, s3);
            }
            var eps = Vector256.Create(epsilon);
            var r0 = Vector256<float>.One / Vector256.Sqrt(s0 * n + eps);
            var r1 = Vector256<float>.One / Vector256.Sqrt(s1 * n + eps);
            var r2 = Vector256<float>.One / Vector256.Sqrt(s2 * n + eps);
            var r3 = Vector256<float>.One / Vector256.Sqrt(s3 * n + eps);
            for (var c = 0; c < channels; c++)
            {
                var offset = (long)c * length + t;
                var g = Vector256.Create(gamma == null ? 1f : gamma[c]);
                var b = Vector256.Create(beta == null ? 0f : beta[c]);
                Vector256.Store(Vector256.FusedMultiplyAdd((Vector256.Load(x + offset) - m0) * r0, g, b), y + offset);
                Vector256.Store(Vector256.FusedMultiplyAdd((Vector256.Load(x + offset + 8) - m1) * r1, g, b), y + offset + 8);
                Vector256.Store(Vector256.FusedMultiplyAdd((Vector256.Load(x + offset + 16) - m2) * r2, g, b), y + offset + 16);
                Vector256.Store(Vector256.FusedMultiplyAdd((Vector256.Load(x + offset + 24) - m3) * r3, g, b), y + offset + 24);
            }
        }
        for (; t < t1; t++)
        {
            double sum = 0;
            for (var c = 0; c < channels; c++)
            {
                sum += x[(long)c * length + t];
            }
            var mean = sum / channels;
            double squares = 0;
            for (var c = 0; c < channels; c++)
            {
                var d = x[(long)c * length + t] - mean;
                squares += d * d;
            }
            var inverseStd = (float)(1 / Math.Sqrt(squares / channels + epsilon));
            for (var c = 0; c < channels; c++)
            {
                var offset = (long)c * length + t;
                var value = (float)(x[offset] - mean) * inverseStd;
                y[offset] = MathF.FusedMultiplyAdd(value, gamma == null ? 1f : gamma[c], beta == null ? 0f : beta[c]);
            }
        }
    }

    /// <summary>Softmax of one row: max-subtracted, so logits of any magnitude stay finite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Softmax(float* x, float* y, int n)
    {
        var inverse = Vector256.Create((float)(1 / Exponentiate(x, y, n)));
        var i = 0;
        for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            Vector256.Store(Vector256.Load(y + i) * inverse, y + i);
        }
        for (; i < n; i++)
        {
            y[i] *= inverse[0];
        }
    }

    /// <summary>
    /// The numerators of a row's softmax, y = exp(x − max x), and their sum: softmax is y divided by it, which
    /// attention applies to its [T, d] output rows instead of the [T, T] scores.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Exponentiate(float* x, float* y, int n)
    {
        var i = 0;
        var maxVector = Vector256.Create(float.NegativeInfinity);
        for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            maxVector = Vector256.Max(maxVector, Vector256.Load(x + i));
        }
        var max = float.NegativeInfinity;
        for (var j = 0; j < Vector256<float>.Count; j++)
        {
            max = MathF.Max(max, maxVector[j]);
        }
        for (; i < n; i++)
        {
            max = MathF.Max(max, x[i]);
        }

        maxVector = Vector256.Create(max);
        var sumVector = Vector256<float>.Zero;
        for (i = 0; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var e = ExpMath.Exp(Vector256.Load(x + i) - maxVector);
            sumVector += e;
            Vector256.Store(e, y + i);
        }
        var sum = (double)Vector256.Sum(sumVector);
        if (i < n)
        {
            // The tail through the same vector exp; only the row's own lanes are used.
            var tail = stackalloc float[Vector256<float>.Count];
            new ReadOnlySpan<float>(x + i, n - i).CopyTo(new Span<float>(tail, n - i));
            var e = ExpMath.Exp(Vector256.Load(tail) - maxVector);
            for (var j = 0; j < n - i; j++)
            {
                sum += e[j];
                y[i + j] = e[j];
            }
        }
        return sum;
    }
}

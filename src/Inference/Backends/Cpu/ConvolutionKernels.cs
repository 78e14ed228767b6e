using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MusicSearch.Inference.Backends.Cpu;

/// <summary>
/// im2col for the GEMM convolutions, and the direct depthwise and few-channel convolutions. Column matrices are row-major
/// [rows = input channels × taps, columns = output positions of one tile], the B operand of W·col.
/// </summary>
internal static unsafe class ConvolutionKernels
{
    /// <summary>
    /// One im2col row of a 1-d convolution: tap <paramref name="tap"/> of channel row <paramref name="input"/>
    /// [T] for output positions t0 … t0 + count − 1, i.e. input[t·stride + tap − padding], zero outside.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Im2ColRow1d(float* input, int length, int tap, int stride, int padding, int t0, int count, float* column)
    {
        // Output positions whose input index lies inside [0, length).
        var offset = tap - padding;
        var first = FirstInside(offset, stride, t0, count);
        var last = LastInside(offset, stride, length, t0, count);
        Fill(column, 0, first - t0);
        if (stride == 1)
        {
            if (last >= first)
            {
                new ReadOnlySpan<float>(input + first + offset, last - first + 1).CopyTo(new Span<float>(column + (first - t0), last - first + 1));
            }
        }
        else
        {
            var t = first;
            if (stride == 2 && Avx2.IsSupported)
            {
                // Even elements of 16 floats: pairs per 128-bit half, then the halves' 64-bit pairs in order. The
                // last load ends one float past input[2t + 14 + offset], still inside the row while t + 8 ≤ last.
                for (; t + 8 <= last; t += 8)
                {
                    var source = input + (long)t * 2 + offset;
                    var pairs = Avx.Shuffle(Avx.LoadVector256(source), Avx.LoadVector256(source + 8), 0x88);
                    Avx.Store(column + (t - t0), Avx2.Permute4x64(pairs.AsDouble(), 0xD8).AsSingle());
                }
            }
            for (; t <= last; t++)
            {
                column[t - t0] = input[(long)t * stride + offset];
            }
        }
        Fill(column, Math.Max(last + 1, first) - t0, count);
    }

    /// <summary>
    /// One im2col row of a 2-d convolution: kernel tap (ki, kj) of channel plane <paramref name="input"/>
    /// [H, W] for the flattened output positions p0 … p0 + count − 1 (p = oh·outWidth + ow).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Im2ColRow2d(float* input, int height, int width, int ki, int kj, int strideH, int strideW, int padH, int padW,
        int outWidth, int p0, int count, float* column)
    {
        var p = p0;
        var end = p0 + count;
        while (p < end)
        {
            var oh = p / outWidth;
            var ow0 = p - oh * outWidth;
            var run = Math.Min(outWidth - ow0, end - p);
            var target = column + (p - p0);
            var ih = oh * strideH - padH + ki;
            if (ih < 0 || ih >= height)
            {
                Fill(target, 0, run);
            }
            else
            {
                Im2ColRow1d(input + (long)ih * width, width, kj, strideW, padW, ow0, run, target);
            }
            p += run;
        }
    }

    /// <summary>
    /// Depthwise convolution of one channel: y[t] = Σ_k w[k]·x[t·stride + k − padding] (zero outside), added to
    /// what <paramref name="output"/> already holds (bias and residual, set by the caller).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DepthwiseRow(float* input, int length, float* weights, int kernel, int stride, int padding, float* output, int outLength)
    {
        for (var k = 0; k < kernel; k++)
        {
            var offset = k - padding;
            var first = FirstInside(offset, stride, 0, outLength);
            var last = LastInside(offset, stride, length, 0, outLength);
            if (last < first)
            {
                continue;
            }
            var w = weights[k];
            if (stride == 1)
            {
                var run = new Span<float>(output + first, last - first + 1);
                TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(input + first + offset, run.Length), w, run, run);
            }
            else
            {
                for (var t = first; t <= last; t++)
                {
                    output[t] += w * input[(long)t * stride + offset];
                }
            }
        }
    }

    /// <summary>
    /// One output row of the direct convolution: target[t] = act(bias (+ target[t] when it holds a residual) +
    /// Σ_i weights[i]·taps[i·n + t]), with the tap rows the caller gathered for this output row and their weights
    /// already broadcast.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    public static void TapsRow<TActivation>(float* taps, Vector256<float>* weights, int count, float bias, bool hasResidual, float* target, int n)
        where TActivation : struct, ActivationKernels.IActivation
    {
        var biasVector = Vector256.Create(bias);
        var t = 0;
        for (; t <= n - Vector256<float>.Count; t += Vector256<float>.Count)
        {
            var sum = hasResidual ? biasVector + Vector256.Load(target + t) : biasVector;
            for (var i = 0; i < count; i++)
            {
                sum = Vector256.FusedMultiplyAdd(weights[i], Vector256.Load(taps + (long)i * n + t), sum);
            }
            Vector256.Store(TActivation.Apply(sum), target + t);
        }
        if (t < n)
        {
            // The tail through the same vector code on a copy.
            var tail = stackalloc float[Vector256<float>.Count];
            for (var j = 0; j < n - t; j++)
            {
                var sum = hasResidual ? bias + target[t + j] : bias;
                for (var i = 0; i < count; i++)
                {
                    sum = MathF.FusedMultiplyAdd(weights[i][0], taps[(long)i * n + t + j], sum);
                }
                tail[j] = sum;
            }
            var result = TActivation.Apply(Vector256.Load(tail));
            for (var j = 0; j < n - t; j++)
            {
                target[t + j] = result[j];
            }
        }
    }

    /// <summary>The first output position ≥ t0 whose input index t·stride + offset is ≥ 0 (t0 + count if none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int FirstInside(int offset, int stride, int t0, int count)
    {
        var first = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
        return Math.Clamp(first, t0, t0 + count);
    }

    /// <summary>The last output position &lt; t0 + count whose input index is &lt; length (t0 − 1 if none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int LastInside(int offset, int stride, int length, int t0, int count)
    {
        var limit = length - 1 - offset;
        var last = limit < 0 ? -1 : limit / stride;
        return Math.Clamp(last, t0 - 1, t0 + count - 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Fill(float* row, int from, int to)
    {
        if (to > from)
        {
            new Span<float>(row + from, to - from).Clear();
        }
    }
}

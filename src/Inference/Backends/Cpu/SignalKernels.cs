using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace MusicSearch.Inference.Backends.Cpu;

/// <summary>The STFT-side kernels of the mel frontend: framing with padding, power of a packed spectrum, decibels.</summary>
internal static unsafe class SignalKernels
{
    /// <summary>
    /// Writes one frame of <paramref name="length"/> samples starting at padded position <paramref name="start"/>
    /// (sample index start − padding); samples outside [0, n) are mirrored or zero.
    /// </summary>
    public static void Frame(float* signal, int n, long start, int padding, PaddingMode mode, float* frame, int length)
    {
        var first = start - padding;
        if (first >= 0 && first + length <= n)
        {
            new ReadOnlySpan<float>(signal + first, length).CopyTo(new Span<float>(frame, length));
            return;
        }
        for (var j = 0; j < length; j++)
        {
            var i = first + j;
            if (i >= 0 && i < n)
            {
                frame[j] = signal[i];
            }
            else if (mode == PaddingMode.Zeros)
            {
                frame[j] = 0f;
            }
            else
            {
                // The backend checks that padding < n, so one reflection always lands inside.
                frame[j] = signal[i < 0 ? -i : 2L * (n - 1) - i];
            }
        }
    }

    /// <summary>(re² + im²)^(exponent/2) of one row holding F real parts then F imaginary parts.</summary>
    public static void Power(float* spectrum, float* power, int bins, float exponent)
    {
        var i = 0;
        var imaginary = spectrum + bins;
        for (; i <= bins - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var re = Vector256.Load(spectrum + i);
            var im = Vector256.Load(imaginary + i);
            Vector256.Store(Vector256.FusedMultiplyAdd(im, im, re * re), power + i);
        }
        for (; i < bins; i++)
        {
            power[i] = MathF.FusedMultiplyAdd(imaginary[i], imaginary[i], spectrum[i] * spectrum[i]);
        }
        var row = new Span<float>(power, bins);
        if (exponent == 1f)
        {
            TensorPrimitives.Sqrt(row, row);
        }
        else if (exponent != 2f)
        {
            TensorPrimitives.Pow(row, exponent / 2f, row);
        }
    }

    /// <summary>y = (10·log10(max(x, floor)) − mean)/std over one run, each step in fp32 as torchaudio and the normalisation do it.</summary>
    public static void Decibels(float* x, float* y, int n, float floor, float mean, float std)
    {
        var source = new ReadOnlySpan<float>(x, n);
        var destination = new Span<float>(y, n);
        TensorPrimitives.Max(source, floor, destination);
        TensorPrimitives.Log10(destination, destination);
        TensorPrimitives.Multiply(destination, 10f, destination);
        if (mean != 0f || std != 1f)
        {
            TensorPrimitives.Subtract(destination, mean, destination);
            TensorPrimitives.Divide(destination, std, destination);
        }
    }
}

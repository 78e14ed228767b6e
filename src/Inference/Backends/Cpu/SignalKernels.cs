using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace MusicSearch.Inference.Backends.Cpu;

/// <summary>The mel frontend's kernels: framing with padding, power spectra through <see cref="FftKernels"/>, decibels.</summary>
internal static unsafe class SignalKernels
{
    /// <summary>
    /// Writes one frame of <paramref name="length"/> samples starting at padded position <paramref name="start"/>
    /// (sample index start − padding); samples outside [0, n) are mirrored or zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    /// <summary>
    /// Power spectra of up to eight frames f0 … f0 + count − 1 of one signal, one per vector lane: frame with
    /// padding, window, FFT, |X|^exponent, written to those columns of <paramref name="output"/> [bins, frames].
    /// <paramref name="scratch"/> holds <see cref="CpuPreparedStft.ScratchFloats"/> floats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PowerSpectra(in StftTables stft, float* signal, int samples, int f0, int count, float exponent, float* output, int frames,
        float* scratch)
    {
        const int Lanes = FftKernels.Lanes;
        var g = stft.Geometry;
        var buffer = scratch;
        var padded = buffer + (long)stft.Fft.Length * FftKernels.ElementFloats;
        var power = padded + (long)Lanes * g.NFft;
        var butterfly = power + (long)Lanes * g.Bins;

        // Frames that lie inside the signal are read in place; the others are padded into scratch rows first.
        var lanes = stackalloc float*[Lanes];
        for (var lane = 0; lane < Lanes; lane++)
        {
            var start = (long)(f0 + Math.Min(lane, count - 1)) * g.Hop;
            var first = start - g.Padding;
            if (first >= 0 && first + g.NFft <= samples)
            {
                lanes[lane] = signal + first;
            }
            else
            {
                lanes[lane] = padded + (long)lane * g.NFft;
                Frame(signal, samples, start, g.Padding, g.Mode, lanes[lane], g.NFft);
            }
        }
        LoadWindowed(stft, lanes, buffer);
        FftKernels.Transform(stft.Fft, buffer, butterfly);
        if (stft.IsPacked)
        {
            SplitPower(stft, buffer, power);
        }
        else
        {
            for (var k = 0; k < g.Bins; k++)
            {
                var element = buffer + (long)k * FftKernels.ElementFloats;
                var (re, im) = (Vector256.Load(element), Vector256.Load(element + Lanes));
                Vector256.Store(Vector256.FusedMultiplyAdd(im, im, re * re), power + (long)k * Lanes);
            }
        }

        var columns = new Span<float>(power, Lanes * g.Bins);
        if (exponent == 1f)
        {
            TensorPrimitives.Sqrt(columns, columns);
        }
        else if (exponent != 2f)
        {
            TensorPrimitives.Pow(columns, exponent / 2f, columns);
        }
        for (var k = 0; k < g.Bins; k++)
        {
            var row = output + (long)k * frames + f0;
            if (count == Lanes)
            {
                Vector256.Store(Vector256.Load(power + (long)k * Lanes), row);
            }
            else
            {
                new ReadOnlySpan<float>(power + (long)k * Lanes, count).CopyTo(new Span<float>(row, count));
            }
        }
    }

    /// <summary>Windowed samples into the buffer in the plan's input order: pairs (x[2m], x[2m+1]) as complex inputs when packed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LoadWindowed(in StftTables stft, float** lanes, float* buffer)
    {
        var permutation = stft.Fft.Permutation;
        var window = stft.Window;
        var step = stft.IsPacked ? 2 : 1;
        for (var m = 0; m < stft.Fft.Length; m++)
        {
            var n = m * step;
            var element = buffer + (long)permutation[m] * FftKernels.ElementFloats;
            Vector256.Store(Gather(lanes, n) * window[n], element);
            Vector256.Store(stft.IsPacked ? Gather(lanes, n + 1) * window[n + 1] : Vector256<float>.Zero, element + FftKernels.Lanes);
        }
    }

    private static Vector256<float> Gather(float** lanes, int n) =>
        Vector256.Create(lanes[0][n], lanes[1][n], lanes[2][n], lanes[3][n], lanes[4][n], lanes[5][n], lanes[6][n], lanes[7][n]);

    /// <summary>
    /// Bins 0 … M of the real transform from Z, the M-point FFT of z[m] = x[2m] + i·x[2m+1]: with E, O the FFTs of
    /// the even and odd samples, E[k] = (Z[k] + conj Z[M−k])/2, O[k] = (Z[k] − conj Z[M−k])/2i and
    /// X[k] = E[k] + W_N^k·O[k]; then re² + im².
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SplitPower(in StftTables stft, float* buffer, float* power)
    {
        const int Lanes = FftKernels.Lanes;
        var length = stft.Fft.Length;
        var half = Vector256.Create(0.5f);
        for (var k = 0; k <= length; k++)
        {
            var a = buffer + (long)(k % length) * FftKernels.ElementFloats;
            var b = buffer + (long)((length - k) % length) * FftKernels.ElementFloats;
            var (ar, ai) = (Vector256.Load(a), Vector256.Load(a + Lanes));
            var (br, bi) = (Vector256.Load(b), Vector256.Load(b + Lanes));
            var (evenRe, evenIm) = ((ar + br) * half, (ai - bi) * half);
            var (oddRe, oddIm) = ((ai + bi) * half, (br - ar) * half);
            var (wr, wi) = (Vector256.Create(stft.Split[2 * k]), Vector256.Create(stft.Split[2 * k + 1]));
            var re = Vector256.FusedMultiplyAdd(oddRe, wr, Vector256.FusedMultiplyAdd(-oddIm, wi, evenRe));
            var im = Vector256.FusedMultiplyAdd(oddRe, wi, Vector256.FusedMultiplyAdd(oddIm, wr, evenIm));
            Vector256.Store(Vector256.FusedMultiplyAdd(im, im, re * re), power + (long)k * Lanes);
        }
    }

    /// <summary>y = (10·log10(max(x, floor)) − mean)/std over one run, each step in fp32 as torchaudio and the normalisation do it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

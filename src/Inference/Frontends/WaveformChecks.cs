using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MusicSearch.Inference.Frontends;

/// <summary>Checks on host waveforms before they are uploaded, shared by the frontends.</summary>
public static class WaveformChecks
{
    /// <summary>
    /// Throws an <see cref="ArgumentException"/> naming the first NaN or ±∞ sample (and its clip, for clips of
    /// <paramref name="clipLength"/> samples laid end to end). One vectorised pass: x − x is 0 for every finite
    /// sample and NaN otherwise, so only a failing buffer is scanned a second time.
    /// </summary>
    public static void EnsureFinite(ReadOnlySpan<float> samples, int clipLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clipLength);
        var accumulator = Vector256<float>.Zero;
        var vectors = MemoryMarshal.Cast<float, Vector256<float>>(samples);
        foreach (var x in vectors)
        {
            accumulator += x - x;
        }
        var sum = Vector256.Sum(accumulator);
        for (var i = vectors.Length * Vector256<float>.Count; i < samples.Length; i++)
        {
            sum += samples[i] - samples[i];
        }
        if (float.IsNaN(sum))
        {
            var index = 0;
            while (float.IsFinite(samples[index]))
            {
                index++;
            }
            throw new ArgumentException(
                $"Sample {index % clipLength} of clip {index / clipLength} is {samples[index]}; the waveform must be finite (check the decoder).",
                nameof(samples));
        }
    }
}

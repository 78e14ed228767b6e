namespace MusicSearch.Inference.Frontends;

/// <summary>
/// The constant tables of the mel frontend, computed the way torch/torchaudio compute them in fp32
/// (<c>src/Training/musicsearch_training/frontend.py</c>), because the model was trained with those exact
/// values: the periodic Hann window and the triangular mel filterbank.
/// </summary>
internal static class MelTables
{
    /// <summary>
    /// torch.hann_window(length, periodic=True) in fp32: 0.5 − 0.5·cos(n·(2π/length)), each step rounded to
    /// fp32 as torch's <c>arange → mul_ → cos_ → mul_ → add_</c> does.
    /// </summary>
    public static float[] HannWindow(int length)
    {
        var window = new float[length];
        var step = (float)(2.0 * Math.PI / length);
        for (var n = 0; n < length; n++)
        {
            window[n] = MathF.Cos(n * step) * -0.5f + 0.5f;
        }
        return window;
    }

    /// <summary>
    /// The triangular filterbank [nFreqs, nMels] without area normalisation (torchaudio <c>melscale_fbanks</c>,
    /// <c>norm=None</c>): nMels + 2 points equally spaced on the mel axis are the feet and peaks, evaluated on
    /// the FFT bin frequencies. Every step is fp32 as in torchaudio, including torch.linspace's own
    /// rounding (<see cref="TorchLinspace"/>), so the values equal frontend.py's bit for bit except where
    /// torch's vectorised powf (SLEEF, ≤ 1 ulp) rounds 10^x differently from a correctly rounded pow, which
    /// moves a filter edge by 1 ulp (≤ 3e-6 in a weight, &lt; 2e-5 dB).
    /// </summary>
    public static float[] Filterbank(int nFreqs, double fMin, double fMax, int nMels, int sampleRate, string melScale)
    {
        var binFrequencies = TorchLinspace(0f, sampleRate / 2, nFreqs);
        var melPoints = TorchLinspace((float)HzToMel(fMin, melScale), (float)HzToMel(fMax, melScale), nMels + 2);
        var points = new float[nMels + 2];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = MelToHz(melPoints[i], melScale);
        }
        var filterbank = new float[nFreqs * nMels];
        for (var f = 0; f < nFreqs; f++)
        {
            for (var m = 0; m < nMels; m++)
            {
                var rising = -(points[m] - binFrequencies[f]) / (points[m + 1] - points[m]);
                var falling = (points[m + 2] - binFrequencies[f]) / (points[m + 2] - points[m + 1]);
                filterbank[f * nMels + m] = Math.Max(0f, Math.Min(rising, falling));
            }
        }
        return filterbank;
    }

    /// <summary>
    /// torch.linspace(start, end, steps, dtype=float32) as its CPU kernel computes it (torch 1.13, AVX2
    /// build): step = (end − start)/(steps − 1); below steps/2 a value counts up from start, above it down
    /// from end, with a fused multiply-add; but in blocks of 8 handled by the vector path only the block's
    /// first value is computed that way and the rest are base + k·step (the kernel's <c>arange</c>). Vectors
    /// are taken in pairs, the remainder scalar. Checked bit for bit against torch on hundreds of ranges.
    /// </summary>
    public static float[] TorchLinspace(float start, float end, int steps)
    {
        var values = new float[steps];
        if (steps == 1)
        {
            values[0] = start;
            return values;
        }
        const int Vector = 8;
        var step = (end - start) / (steps - 1);
        var halfway = steps / 2;
        float Scalar(int i) =>
            i < halfway ? MathF.FusedMultiplyAdd(step, i, start) : MathF.FusedMultiplyAdd(-step, steps - i - 1, end);

        var index = 0;
        for (; index <= steps - 2 * Vector; index += 2 * Vector)
        {
            for (var block = index; block < index + 2 * Vector; block += Vector)
            {
                var blockStart = Scalar(block);
                for (var k = 0; k < Vector; k++)
                {
                    values[block + k] = blockStart + k * step;
                }
            }
        }
        for (; index < steps; index++)
        {
            values[index] = Scalar(index);
        }
        return values;
    }

    /// <summary>Hz → mel in double, as torchaudio's <c>_hz_to_mel</c> (a Python float).</summary>
    private static double HzToMel(double frequency, string melScale)
    {
        if (melScale == "htk")
        {
            return 2595.0 * Math.Log10(1.0 + frequency / 700.0);
        }
        // Slaney: linear below 1 kHz, logarithmic above.
        const double Linear = 200.0 / 3;
        var minLogMel = 1000.0 / Linear;
        var logStep = Math.Log(6.4) / 27.0;
        return frequency >= 1000.0 ? minLogMel + Math.Log(frequency / 1000.0) / logStep : frequency / Linear;
    }

    /// <summary>mel → Hz in fp32, as torchaudio's <c>_mel_to_hz</c> on an fp32 tensor.</summary>
    private static float MelToHz(float mel, string melScale)
    {
        if (melScale == "htk")
        {
            return 700f * ((float)Math.Pow(10.0, mel / 2595f) - 1f);
        }
        const float Linear = (float)(200.0 / 3);
        var minLogMel = (float)(1000.0 / (200.0 / 3));
        var logStep = (float)(Math.Log(6.4) / 27.0);
        return mel >= minLogMel ? 1000f * MathF.Exp(logStep * (mel - minLogMel)) : Linear * mel;
    }
}

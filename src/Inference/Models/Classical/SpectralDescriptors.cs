namespace MusicSearch.Inference.Models.Classical;

/// <summary>
/// The per-frame descriptors of the classical baseline computed from one frame's spectrum S = |X|^p (the frontend's
/// power spectrum), over the bins up to <c>f_max</c>:
/// <list type="bullet">
/// <item>spectral contrast per band, 10·log10(peak) − 10·log10(valley) in dB, where peak and valley are the means of
/// the largest and the smallest max(1, round(quantile · bins)) values of S in the band (round half up), both floored
/// at the dB floor; bands are [0, f₀), [f₀, 2f₀), …, [f₀·2^(B−1), f_max];</item>
/// <item>spectral centroid Σ f·|X| / Σ |X| in Hz (0 for a silent frame);</item>
/// <item>spectral flatness exp(mean ln S') / mean S' with S' = max(S, floor) (1 for a silent frame).</item>
/// </list>
/// One instance per encoder: it keeps a sort buffer, so it serves one caller at a time.
/// </summary>
internal sealed class SpectralDescriptors
{
    private readonly int _bins;
    private readonly double[] _frequencies;
    private readonly int[] _bandStarts;
    private readonly int[] _extremeCounts;
    private readonly double _inversePower;
    private readonly double _floor;
    private readonly float[] _sorted;

    /// <exception cref="ArgumentException">A contrast band holds no FFT bin at this resolution.</exception>
    public SpectralDescriptors(int nFft, int sampleRate, double fMax, double power, ClassicalConfig config, double floor)
    {
        ArgumentNullException.ThrowIfNull(config);
        var binWidth = (double)sampleRate / nFft;
        _bins = Math.Min(nFft / 2 + 1, (int)Math.Floor(fMax / binWidth) + 1);
        _frequencies = new double[_bins];
        for (var k = 0; k < _bins; k++)
        {
            _frequencies[k] = k * binWidth;
        }
        var bands = config.ContrastBands + 1;
        _bandStarts = new int[bands + 1];
        _bandStarts[bands] = _bins;
        for (var b = 1; b < bands; b++)
        {
            var edge = config.ContrastFMin * Math.Pow(2, b - 1);
            _bandStarts[b] = Math.Min(_bins, (int)Math.Ceiling(edge / binWidth));
        }
        _extremeCounts = new int[bands];
        for (var b = 0; b < bands; b++)
        {
            var width = _bandStarts[b + 1] - _bandStarts[b];
            if (width < 1)
            {
                throw new ArgumentException(
                    $"contrast band {b} ({(b == 0 ? 0 : config.ContrastFMin * Math.Pow(2, b - 1))} Hz and up) holds no FFT bin at {binWidth:0.###} Hz per bin; " +
                    "raise contrast_f_min or n_fft");
            }
            _extremeCounts[b] = Math.Max(1, (int)Math.Floor(config.ContrastQuantile * width + 0.5));
        }
        _inversePower = 1 / power;
        _floor = floor;
        _sorted = new float[_bins];
        Count = bands + 2;
    }

    /// <summary>Descriptors per frame: contrast for each band, then centroid, then flatness.</summary>
    public int Count { get; }

    /// <param name="spectrum">One frame of S, all n_fft/2 + 1 bins.</param>
    /// <param name="output"><see cref="Count"/> values.</param>
    public void Compute(ReadOnlySpan<float> spectrum, Span<double> output)
    {
        var bands = _extremeCounts.Length;
        var used = spectrum[.._bins];
        used.CopyTo(_sorted);
        for (var b = 0; b < bands; b++)
        {
            var band = _sorted.AsSpan(_bandStarts[b], _bandStarts[b + 1] - _bandStarts[b]);
            band.Sort();
            var n = _extremeCounts[b];
            output[b] = Decibels(Mean(band[^n..])) - Decibels(Mean(band[..n]));
        }

        double weighted = 0, magnitudes = 0, logSum = 0, sum = 0;
        for (var k = 0; k < used.Length; k++)
        {
            double s = used[k];
            var magnitude = _inversePower == 0.5 ? Math.Sqrt(s) : Math.Pow(s, _inversePower);
            weighted += _frequencies[k] * magnitude;
            magnitudes += magnitude;
            var floored = Math.Max(s, _floor);
            logSum += Math.Log(floored);
            sum += floored;
        }
        output[bands] = magnitudes > 0 ? weighted / magnitudes : 0;
        output[bands + 1] = Math.Exp(logSum / used.Length) / (sum / used.Length);
    }

    private double Decibels(double value) => 10 * Math.Log10(Math.Max(value, _floor));

    private static double Mean(ReadOnlySpan<float> values)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }
        return sum / values.Length;
    }
}

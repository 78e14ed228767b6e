namespace MusicSearch.Inference.Models.Classical;

/// <summary>
/// Per-dimension mean and population standard deviation of a stream of vectors (Welford's update, in double), the
/// statistics a classical package standardises its features with. A dimension that never varies gets std 1, so
/// it stays at 0 after standardisation instead of dividing by zero.
/// </summary>
public sealed class StandardizationFit
{
    private readonly double[] _mean;
    private readonly double[] _m2;

    public StandardizationFit(int dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        _mean = new double[dimensions];
        _m2 = new double[dimensions];
    }

    public int Count { get; private set; }

    /// <exception cref="ArgumentException">Wrong length, or a NaN/∞ value.</exception>
    public void Add(ReadOnlySpan<float> sample)
    {
        if (sample.Length != _mean.Length)
        {
            throw new ArgumentException($"expected {_mean.Length} values, got {sample.Length}", nameof(sample));
        }
        foreach (var value in sample)
        {
            if (!float.IsFinite(value))
            {
                throw new ArgumentException("a sample holds NaN or ∞", nameof(sample));
            }
        }
        Count++;
        for (var i = 0; i < sample.Length; i++)
        {
            var delta = sample[i] - _mean[i];
            _mean[i] += delta / Count;
            _m2[i] += delta * (sample[i] - _mean[i]);
        }
    }

    /// <exception cref="InvalidOperationException">No sample was added.</exception>
    public (float[] Mean, float[] Std) Result()
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("standardisation statistics need at least one sample");
        }
        var mean = Array.ConvertAll(_mean, m => (float)m);
        var std = Array.ConvertAll(_m2, m2 => Math.Sqrt(m2 / Count) is var s && s > 0 ? (float)s : 1f);
        return (mean, std);
    }

    /// <summary>Mean 0 and std 1 everywhere: features pass unchanged (what a fit starts from).</summary>
    public static (float[] Mean, float[] Std) Identity(int dimensions) => (new float[dimensions], Enumerable.Repeat(1f, dimensions).ToArray());
}

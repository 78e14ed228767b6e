namespace MusicSearch.Evaluation.Statistics;

/// <summary>Moments of a sample, computed in double in two passes (mean first) so large offsets do not cancel.</summary>
public static class Moments
{
    public static double Mean(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("the mean of no values is undefined", nameof(values));
        }
        var sum = 0.0;
        foreach (var value in values)
        {
            sum += value;
        }
        return sum / values.Length;
    }

    /// <summary>
    /// Population skewness m3 / m2^1.5 (the moment estimator, as Radovanović et al. report hubness and scipy's
    /// <c>skew(bias=True)</c> computes it); 0 for a constant sample, which has no tail either way.
    /// </summary>
    public static double Skewness(ReadOnlySpan<double> values)
    {
        var mean = Mean(values);
        double m2 = 0, m3 = 0;
        foreach (var value in values)
        {
            var d = value - mean;
            m2 += d * d;
            m3 += d * d * d;
        }
        m2 /= values.Length;
        m3 /= values.Length;
        return m2 <= 0 ? 0 : m3 / Math.Pow(m2, 1.5);
    }
}

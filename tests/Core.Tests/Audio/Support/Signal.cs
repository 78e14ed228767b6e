namespace MusicSearch.Core.Tests.Audio.Support;

/// <summary>Small measurements on decoded samples.</summary>
internal static class Signal
{
    /// <summary>
    /// The frequency of a clean tone: rising zero crossings, each placed between its two samples by linear
    /// interpolation, counted over the span from the first to the last.
    /// </summary>
    public static double ToneFrequency(ReadOnlySpan<float> samples, int sampleRate)
    {
        double first = double.NaN, last = double.NaN;
        var crossings = 0;
        for (var i = 1; i < samples.Length; i++)
        {
            if (samples[i - 1] < 0 && samples[i] >= 0)
            {
                last = i - 1 + (samples[i - 1] / (samples[i - 1] - samples[i]));
                first = crossings == 0 ? last : first;
                crossings++;
            }
        }

        Assert.True(crossings > 2, $"Only {crossings} rising zero crossings: this is not a tone.");
        return (crossings - 1) * sampleRate / (last - first);
    }

    public static int PeakIndex(ReadOnlySpan<float> samples)
    {
        var peak = 0;
        for (var i = 1; i < samples.Length; i++)
        {
            peak = Math.Abs(samples[i]) > Math.Abs(samples[peak]) ? i : peak;
        }

        return peak;
    }

    public static double Rms(ReadOnlySpan<float> samples)
    {
        var sum = 0.0;
        foreach (var sample in samples)
        {
            sum += (double)sample * sample;
        }

        return Math.Sqrt(sum / samples.Length);
    }

    /// <summary>The samples between two times, leaving out the edges where encoders and resamplers settle.</summary>
    public static ReadOnlySpan<float> Between(float[] samples, int sampleRate, double fromSeconds, double toSeconds) =>
        samples.AsSpan((int)(fromSeconds * sampleRate), (int)((toSeconds - fromSeconds) * sampleRate));
}

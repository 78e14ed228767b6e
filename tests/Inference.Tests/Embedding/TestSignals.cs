namespace MusicSearch.Inference.Tests.Embedding;

/// <summary>Deterministic test audio at 24 kHz.</summary>
internal static class TestSignals
{
    public const int SampleRate = 24000;

    /// <summary>A new random note every half second over a little noise, peak about 0.5.</summary>
    public static float[] Notes(double seconds, int seed)
    {
        var random = new Random(seed);
        var samples = new float[(int)Math.Round(seconds * SampleRate)];
        var frequency = 0.0;
        for (var i = 0; i < samples.Length; i++)
        {
            if (i % (SampleRate / 2) == 0)
            {
                frequency = 110 * Math.Pow(2, random.Next(36) / 12.0);
            }
            samples[i] = (float)(0.4 * Math.Sin(2 * Math.PI * frequency * i / SampleRate) + 0.01 * (random.NextDouble() - 0.5));
        }
        return samples;
    }

    /// <summary>A pure tone whose period is a whole number of samples, built by doubling copies so hours of it are cheap.</summary>
    public static float[] LongTone(double seconds, int periodSamples = 60)
    {
        var samples = new float[(long)Math.Round(seconds * SampleRate)];
        for (var i = 0; i < Math.Min(periodSamples, samples.Length); i++)
        {
            samples[i] = (float)(0.5 * Math.Sin(2 * Math.PI * i / periodSamples));
        }
        for (var filled = periodSamples; filled < samples.Length; filled *= 2)
        {
            Array.Copy(samples, 0, samples, filled, Math.Min(filled, samples.Length - filled));
        }
        return samples;
    }
}

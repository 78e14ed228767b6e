namespace MusicSearch.Inference.Embedding;

/// <summary>The pooling arithmetic on host vectors, in double so that averaging hundreds of windows loses nothing.</summary>
internal static class VectorMath
{
    /// <summary>The element-wise mean of equal-length vectors.</summary>
    public static float[] Mean(IReadOnlyList<float[]> vectors)
    {
        var sum = new double[vectors[0].Length];
        foreach (var vector in vectors)
        {
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] += vector[i];
            }
        }
        var mean = new float[sum.Length];
        for (var i = 0; i < mean.Length; i++)
        {
            mean[i] = (float)(sum[i] / vectors.Count);
        }
        return mean;
    }

    /// <summary>The vector scaled to unit Euclidean length; a zero vector stays zero (it has no direction).</summary>
    public static float[] Normalize(ReadOnlySpan<float> vector)
    {
        var norm = Math.Sqrt(SquaredNorm(vector));
        var result = new float[vector.Length];
        if (norm > 0)
        {
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = (float)(vector[i] / norm);
            }
        }
        return result;
    }

    public static double SquaredNorm(ReadOnlySpan<float> vector)
    {
        var sum = 0.0;
        foreach (var v in vector)
        {
            sum += (double)v * v;
        }
        return sum;
    }
}

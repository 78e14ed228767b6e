namespace MusicSearch.Inference.Backends;

/// <summary>
/// The cos/sin tables of the Wav2Vec2-Conformer rotary embedding (MODEL_SPEC §2.3), for
/// <see cref="IComputeBackend.Rotary"/>. Computed in fp32 step by step as HF computes them from its fp32
/// <c>inv_freq</c> buffer, so they equal torch's tables to the last bit wherever the two libm's cos/sin agree
/// (within 1 ulp elsewhere).
/// </summary>
public static class RotaryTables
{
    /// <summary>
    /// cos and sin of θ_p = concat(p·inv_freq, p·inv_freq), inv_freq[j] = base^(−2j/d), for positions
    /// p = 0 … <paramref name="positions"/> − 1: two row-major [positions, headDim] arrays. Positions do not
    /// depend on the sequence length, so one table for the longest window serves every shorter one.
    /// </summary>
    public static (float[] Cos, float[] Sin) Compute(int positions, int headDim, double theta)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(positions);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(headDim);
        if (headDim % 2 != 0)
        {
            throw new ArgumentException($"The rotary head size must be even, found {headDim}.", nameof(headDim));
        }
        if (!(theta > 1))
        {
            throw new ArgumentOutOfRangeException(nameof(theta), $"The rotary base must exceed 1, found {theta}.");
        }
        var half = headDim / 2;
        // torch: 1.0 / (base ** (arange(0, d, 2).float() / d)), every step in fp32 (the base is cast to the tensor's dtype).
        var baseF = (double)(float)theta;
        var inverseFrequency = new float[half];
        for (var j = 0; j < half; j++)
        {
            var exponent = (float)(2 * j) / headDim;
            inverseFrequency[j] = 1f / (float)Math.Pow(baseF, exponent);
        }
        var cos = new float[positions * headDim];
        var sin = new float[positions * headDim];
        for (var p = 0; p < positions; p++)
        {
            for (var j = 0; j < half; j++)
            {
                var angle = p * inverseFrequency[j];
                var c = MathF.Cos(angle);
                var s = MathF.Sin(angle);
                cos[p * headDim + j] = c;
                cos[p * headDim + half + j] = c;
                sin[p * headDim + j] = s;
                sin[p * headDim + half + j] = s;
            }
        }
        return (cos, sin);
    }
}

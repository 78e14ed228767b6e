namespace MusicSearch.Inference.Backends;

/// <summary>
/// Load-time rewrites of checkpoint weights into the plain convolutions the backends run, on the host, in
/// double precision before the single rounding to fp32.
/// </summary>
public static class WeightFolding
{
    /// <summary>
    /// Folds an eval-mode BatchNorm that follows a convolution into the convolution: with
    /// s = γ/√(var + ε), w' = w·s per output channel and b' = (b − mean)·s + β. <paramref name="weight"/> is
    /// [C_out, ...] in any trailing layout; <paramref name="bias"/> is [C_out] or empty for a conv without bias.
    /// </summary>
    public static (float[] Weight, float[] Bias) FoldBatchNorm(
        ReadOnlySpan<float> weight,
        ReadOnlySpan<float> bias,
        ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> beta,
        ReadOnlySpan<float> runningMean,
        ReadOnlySpan<float> runningVariance,
        double epsilon)
    {
        var channels = gamma.Length;
        if (channels == 0 || beta.Length != channels || runningMean.Length != channels || runningVariance.Length != channels)
        {
            throw new ArgumentException(
                "BatchNorm parameters must all have one entry per channel: " +
                $"gamma {gamma.Length}, beta {beta.Length}, mean {runningMean.Length}, var {runningVariance.Length}.");
        }
        if (weight.Length % channels != 0 || weight.Length == 0)
        {
            throw new ArgumentException($"A weight of {weight.Length} elements cannot have {channels} output channels.", nameof(weight));
        }
        if (!bias.IsEmpty && bias.Length != channels)
        {
            throw new ArgumentException($"The bias has {bias.Length} entries for {channels} channels.", nameof(bias));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(epsilon);

        var perChannel = weight.Length / channels;
        var foldedWeight = new float[weight.Length];
        var foldedBias = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            var scale = gamma[c] / Math.Sqrt(runningVariance[c] + epsilon);
            var b = bias.IsEmpty ? 0.0 : bias[c];
            foldedBias[c] = (float)((b - runningMean[c]) * scale + beta[c]);
            for (var i = c * perChannel; i < (c + 1) * perChannel; i++)
            {
                foldedWeight[i] = (float)(weight[i] * scale);
            }
        }
        return (foldedWeight, foldedBias);
    }

    /// <summary>
    /// Materialises <c>weight_norm(conv, dim=2)</c> as MERT's positional convolution stores it (MODEL_SPEC §3.2):
    /// W[o, i, k] = g[k]·v[o, i, k]/‖v[:, :, k]‖, the norm taken over the whole (out, in/groups) slice of tap k.
    /// <paramref name="g"/> is [1, 1, K] (K entries), <paramref name="v"/> [out, in/groups, K].
    /// </summary>
    public static float[] MaterializeWeightNorm(ReadOnlySpan<float> g, ReadOnlySpan<float> v)
    {
        var taps = g.Length;
        if (taps == 0 || v.Length == 0 || v.Length % taps != 0)
        {
            throw new ArgumentException($"weight_v ({v.Length} elements) must be a whole number of slices of the {taps} taps of weight_g.");
        }
        var norms = new double[taps];
        for (var i = 0; i < v.Length; i++)
        {
            norms[i % taps] += (double)v[i] * v[i];
        }
        var weight = new float[v.Length];
        for (var i = 0; i < v.Length; i++)
        {
            var k = i % taps;
            weight[i] = (float)(g[k] * v[i] / Math.Sqrt(norms[k]));
        }
        return weight;
    }
}

namespace MusicSearch.Inference.Backends;

/// <summary>Element-wise activations, fused into ops or applied by <see cref="IComputeBackend.Activate"/>.</summary>
public enum Activation
{
    None,

    /// <summary>max(x, 0).</summary>
    Relu,

    /// <summary>x·sigmoid(x), a.k.a. swish (Conformer FFN and conv module).</summary>
    Silu,

    /// <summary>Exact GELU, x·½(1 + erf(x/√2)) (wav2vec2-family FFNs and feature encoders); not the tanh approximation.</summary>
    Gelu,
}

/// <summary>How <see cref="IComputeBackend.StftPower"/> fills samples before the start and after the end.</summary>
public enum PaddingMode
{
    /// <summary>Zeros (torch <c>pad_mode="constant"</c>).</summary>
    Zeros,

    /// <summary>Mirror without repeating the edge sample: x[−i] = x[i], x[N−1+i] = x[N−1−i] (torch <c>"reflect"</c>).</summary>
    Reflect,
}

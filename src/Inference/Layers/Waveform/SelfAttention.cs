using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Packages;
using MusicSearch.Inference.Tensors;

namespace MusicSearch.Inference.Layers.Waveform;

/// <summary>
/// Multi-head self-attention with biases on q/k/v/out (HF <c>HubertAttention</c>). HF scales q by d^−½ after
/// its bias; the backend's softmax(Q·Kᵀ/√d) is the same product.
/// </summary>
internal sealed class SelfAttention(IComputeBackend backend, PreparedLinear query, PreparedLinear key, PreparedLinear value, PreparedLinear output, int heads)
{
    public static SelfAttention Load(IComputeBackend backend, SafeTensorsFile weights, string prefix, int heads) =>
        new(backend,
            backend.PrepareLinear(weights, prefix + ".q_proj"),
            backend.PrepareLinear(weights, prefix + ".k_proj"),
            backend.PrepareLinear(weights, prefix + ".v_proj"),
            backend.PrepareLinear(weights, prefix + ".out_proj"),
            heads);

    /// <summary>result = residual + Attn(input) on [B, T, H]; <paramref name="result"/> may be <paramref name="residual"/>, not <paramref name="input"/>.</summary>
    public void Forward(Tensor input, Tensor residual, Tensor result, Workspace workspace)
    {
        using var scope = workspace.BeginScope();
        var q = workspace.Allocate(input.Shape);
        var k = workspace.Allocate(input.Shape);
        var v = workspace.Allocate(input.Shape);
        backend.Linear(input, query, q);
        backend.Linear(input, key, k);
        backend.Linear(input, value, v);
        var context = workspace.Allocate(input.Shape);
        backend.Attention(q, k, v, heads, context);
        backend.Linear(context, output, result, residual: residual);
    }
}

using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Packages;
using MusicSearch.Inference.Tensors;

namespace MusicSearch.Inference.Layers.Conformer;

/// <summary>
/// The Wav2Vec2-Conformer's rotary self-attention (MODEL_SPEC §2.3), reproduced literally: RoPE rotates the
/// layer-normed input itself, before the projections; the same rotated tensor feeds <c>linear_q</c> and
/// <c>linear_k</c>, while <c>linear_v</c> sees the unrotated input.
/// </summary>
internal sealed class RotarySelfAttention(
    IComputeBackend backend, PreparedLinear query, PreparedLinear key, PreparedLinear value, PreparedLinear output, int heads)
{
    public static RotarySelfAttention Load(IComputeBackend backend, SafeTensorsFile weights, string prefix, int heads) =>
        new(backend,
            backend.PrepareLinear(weights, prefix + ".linear_q"),
            backend.PrepareLinear(weights, prefix + ".linear_k"),
            backend.PrepareLinear(weights, prefix + ".linear_v"),
            backend.PrepareLinear(weights, prefix + ".linear_out"),
            heads);

    /// <summary>x ← x + Attn(normed) on [B, T, H], with <paramref name="positions"/> covering T.</summary>
    public void Forward(Tensor normed, RotaryPositions positions, Tensor x, Workspace workspace)
    {
        using var scope = workspace.BeginScope();
        var rotated = workspace.Allocate(normed.Shape);
        var q = workspace.Allocate(normed.Shape);
        var k = workspace.Allocate(normed.Shape);
        var v = workspace.Allocate(normed.Shape);
        backend.Rotary(normed, positions.Cos, positions.Sin, rotated);
        backend.Linear(rotated, query, q);
        backend.Linear(rotated, key, k);
        backend.Linear(normed, value, v);
        // Q and K have been projected, so the rotated input's memory takes the attention context.
        backend.Attention(q, k, v, heads, rotated);
        backend.Linear(rotated, output, x, residual: x);
    }
}

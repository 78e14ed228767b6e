using MusicSearch.Inference.Packages;

namespace MusicSearch.Inference.Layers.Common;

/// <summary>Checkpoint tensors as fp32 host spans, for weights that are rewritten (folded, materialised) before they are prepared.</summary>
internal static class CheckpointTensors
{
    /// <summary>A zero-copy view of an F32 tensor, or an fp32 copy of an F16/BF16/F64 one.</summary>
    public static ReadOnlySpan<float> Floats(SafeTensorsFile weights, string name) =>
        weights.Get(name).DType == TensorDType.F32 ? weights.GetSpan<float>(name) : weights.ReadAsFloat32(name);
}

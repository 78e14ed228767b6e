using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Layers.Common;
using MusicSearch.Inference.Packages;

namespace MusicSearch.Inference.Layers.Waveform;

/// <summary>Plain convolutions prepared straight from the checkpoint, as <see cref="WeightLoading.PrepareLinear"/> does for Linears.</summary>
internal static class Conv1dLoading
{
    /// <summary>
    /// <c>{prefix}.weight</c> [out, in/groups, k] and, if <paramref name="hasBias"/>, <c>{prefix}.bias</c> [out]. The
    /// config decides the bias, as it decides which parameters HF's module has; a stray tensor is not read.
    /// </summary>
    public static PreparedConv1d PrepareConv1d(this IComputeBackend backend, SafeTensorsFile weights, string prefix, Conv1dGeometry geometry, bool hasBias)
    {
        var bias = hasBias ? CheckpointTensors.Floats(weights, prefix + ".bias") : default;
        return backend.PrepareConv1d(CheckpointTensors.Floats(weights, prefix + ".weight"), bias, geometry);
    }
}

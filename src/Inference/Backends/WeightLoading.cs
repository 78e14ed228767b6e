using MusicSearch.Inference.Packages;
using MusicSearch.Inference.Tensors;

namespace MusicSearch.Inference.Backends;

/// <summary>Uploads and prepares checkpoint tensors by name, with the shapes the safetensors header gives.</summary>
public static class WeightLoading
{
    /// <summary>A tensor of the file as a backend-owned tensor of its stored shape; F16/BF16/F64 are widened or narrowed to fp32.</summary>
    public static Tensor Upload(this IComputeBackend backend, SafeTensorsFile weights, string name)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(weights);
        var info = weights.Get(name);
        return backend.Upload(Read(weights, info), TensorShape.Of(info.Shape));
    }

    /// <summary>
    /// <c>{prefix}.weight</c> [out, in] (or a k=1 Conv1d's [out, in, 1]) and, when the file has it,
    /// <c>{prefix}.bias</c> [out], prepared as a Linear.
    /// </summary>
    public static PreparedLinear PrepareLinear(this IComputeBackend backend, SafeTensorsFile weights, string prefix)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(weights);
        var weight = weights.Get(prefix + ".weight");
        if (weight.Shape.Count is not (2 or 3) || (weight.Shape.Count == 3 && weight.Shape[2] != 1))
        {
            throw new ModelPackageException(
                $"{weights.Path}: '{weight.Name}' {weight.ShapeText} is not a Linear weight [out, in] or a pointwise Conv1d weight [out, in, 1].");
        }
        var biasName = prefix + ".bias";
        var bias = weights.Contains(biasName) ? Read(weights, weights.Get(biasName)) : default;
        return backend.PrepareLinear(Read(weights, weight), bias, checked((int)weight.Shape[0]), checked((int)weight.Shape[1]));
    }

    private static ReadOnlySpan<float> Read(SafeTensorsFile weights, TensorInfo info) =>
        info.DType == TensorDType.F32 ? weights.GetSpan<float>(info.Name) : weights.ReadAsFloat32(info.Name);
}

using System.Text.RegularExpressions;

namespace MusicSearch.Inference.Backends.Cuda;

/// <summary>
/// The kernel sources embedded from <c>Kernels/*.cu</c>, each prefixed with <c>Common.cuh</c> and the CUDA headers
/// NVRTC provides for bf16/fp16, and the kernel names the backend launches (every one must be defined in them).
/// </summary>
public static partial class CudaKernelSources
{
    private const string ResourcePrefix = "MusicSearch.Inference.Backends.Cuda.Kernels.";

    /// <summary>Every kernel the backend launches, by file.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Kernels { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        ["Elementwise.cu"] = ["ms_bias_activation", "ms_channel_bias_activation", "ms_activate_kernel", "ms_add", "ms_power_to_db", "ms_to_bf16", "ms_to_fp16"],
        ["Normalization.cu"] = ["ms_layer_norm", "ms_layer_norm_channels", "ms_group_norm", "ms_softmax"],
        ["Layout.cu"] = ["ms_transpose", "ms_mean_over_time", "ms_glu", "ms_rotary"],
    };

    /// <summary>The compilable text of one kernel file: headers, <c>Common.cuh</c>, then the file.</summary>
    public static string Program(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return "#include <cuda_bf16.h>\n#include <cuda_fp16.h>\n" + Read("Common.cuh") + "\n" + Read(file);
    }

    /// <summary>The names of the <c>extern "C" __global__</c> functions a source defines.</summary>
    public static IReadOnlyList<string> DefinedKernels(string source) =>
        [.. KernelDefinition().Matches(source).Select(m => m.Groups[1].Value)];

    /// <summary>The raw text of an embedded kernel file.</summary>
    public static string Read(string file)
    {
        using var stream = typeof(CudaKernelSources).Assembly.GetManifestResourceStream(ResourcePrefix + file)
            ?? throw new FileNotFoundException($"Kernel source {file} is not embedded in {typeof(CudaKernelSources).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"extern\s+""C""\s+__global__\s+void\s+(\w+)\s*\(")]
    private static partial Regex KernelDefinition();
}

namespace MusicSearch.Inference.Backends.Cuda;

/// <summary>Where the CUDA libraries are looked for, and how the CUDA backend runs.</summary>
public sealed record CudaOptions
{
    /// <summary>The environment variable with extra library directories (separated by <see cref="Path.PathSeparator"/>).</summary>
    public const string PathVariable = "MUSICSEARCH_CUDA_PATH";

    public static CudaOptions Default { get; } = new();

    /// <summary>Directories searched first, in order (each as given, then its <c>lib64</c> and <c>lib</c>).</summary>
    public IReadOnlyList<string> SearchPaths { get; init; } = [];

    /// <summary>
    /// Python environments whose PyTorch wheels bring cuBLAS and NVRTC (<c>site-packages/nvidia/*/lib</c>): each
    /// entry is a site-packages directory, an environment prefix (<c>lib/python3.*/site-packages</c> under it)
    /// or a python executable in such a prefix's <c>bin</c>.
    /// </summary>
    public IReadOnlyList<string> PythonEnvironments { get; init; } = [];

    /// <summary>Whether the usual system directories and then the loader's own search (ldconfig, LD_LIBRARY_PATH) are tried last.</summary>
    public bool SearchSystemDirectories { get; init; } = true;

    /// <summary>The CUDA device ordinal.</summary>
    public int DeviceIndex { get; init; }

    /// <summary>Operand type of GEMMs and convolutions.</summary>
    public CudaPrecision Precision { get; init; } = CudaPrecision.Fp32;

    /// <summary>Size of the one device allocation that workspaces and scratch are carved from; 0 sizes it from the first forward pass.</summary>
    public long ArenaBytes { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        foreach (var path in SearchPaths.Concat(PythonEnvironments))
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new ArgumentException("CUDA search paths and python environments must not be empty.", nameof(SearchPaths));
            }
        }
        if (DeviceIndex < 0)
        {
            throw new ArgumentException($"The CUDA device index must be 0 or more, not {DeviceIndex}.", nameof(DeviceIndex));
        }
        if (!Enum.IsDefined(Precision))
        {
            throw new ArgumentException($"Unknown CUDA precision {(int)Precision}; expected Fp32, Bf16 or Fp16.", nameof(Precision));
        }
        if (ArenaBytes < 0)
        {
            throw new ArgumentException($"The CUDA arena size must be 0 (automatic) or more bytes, not {ArenaBytes}.", nameof(ArenaBytes));
        }
    }
}

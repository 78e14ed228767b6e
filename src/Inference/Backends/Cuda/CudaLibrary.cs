namespace MusicSearch.Inference.Backends.Cuda;

/// <summary>The native libraries the CUDA backend needs.</summary>
public enum CudaLibrary
{
    /// <summary>The driver API, <c>libcuda.so.1</c>: installed with the GPU driver, never by a wheel.</summary>
    Driver,

    /// <summary>cuBLASLt: the GEMMs (with epilogues).</summary>
    BlasLt,

    /// <summary>cuBLAS: loaded beside cuBLASLt of the same major version (it is the one PyTorch's wheels pin together).</summary>
    Blas,

    /// <summary>NVRTC: compiles the kernel sources at start.</summary>
    Nvrtc,
}

/// <summary>Sonames per library, newest first.</summary>
public static class CudaLibraryNames
{
    /// <summary>CUDA majors the backend accepts for the toolkit libraries, newest first.</summary>
    public static IReadOnlyList<int> Majors { get; } = [13, 12];

    /// <summary>The file names of <paramref name="library"/> to look for, newest first; <paramref name="major"/> restricts the toolkit libraries to one major.</summary>
    public static IReadOnlyList<string> Sonames(CudaLibrary library, int? major = null)
    {
        if (library == CudaLibrary.Driver)
        {
            return ["libcuda.so.1"];
        }
        var stem = library switch
        {
            CudaLibrary.BlasLt => "libcublasLt",
            CudaLibrary.Blas => "libcublas",
            CudaLibrary.Nvrtc => "libnvrtc",
            _ => throw new ArgumentOutOfRangeException(nameof(library), library, null),
        };
        return [.. Majors.Where(m => major is null || m == major).Select(m => $"{stem}.so.{m}")];
    }

    /// <summary>The major version in a toolkit soname (<c>libcublasLt.so.13</c> → 13).</summary>
    public static int MajorOf(string soname)
    {
        var dot = soname.LastIndexOf('.');
        return int.Parse(soname.AsSpan(dot + 1), System.Globalization.CultureInfo.InvariantCulture);
    }
}

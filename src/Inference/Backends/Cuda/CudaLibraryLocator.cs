namespace MusicSearch.Inference.Backends.Cuda;

/// <summary>
/// Where one CUDA library was found: a file in a searched directory (<see cref="Path"/> rooted), the bare soname
/// left to the loader's own search (<see cref="FromLoaderSearch"/>), or nothing (<see cref="Path"/> null).
/// </summary>
public sealed record CudaLibraryLocation(CudaLibrary Library, string? Path, string Origin, IReadOnlyList<string> Sonames)
{
    public bool FromLoaderSearch => Path is not null && !System.IO.Path.IsPathRooted(Path);
}

/// <summary>
/// Finds the CUDA libraries on disk by soname, without loading them: directory order first (so a configured
/// directory wins over a system one), newest soname first within a directory. cuBLAS is taken only in the major
/// version of the cuBLASLt found, since the two are one release. A library in no searched directory is left to
/// the loader's own search (ldconfig cache, LD_LIBRARY_PATH) when the system is searched.
/// </summary>
public static class CudaLibraryLocator
{
    public static IReadOnlyList<CudaLibraryLocation> Locate(IReadOnlyList<CudaSearchDirectory> plan, bool useLoaderSearch)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var driver = Find(CudaLibrary.Driver, CudaLibraryNames.Sonames(CudaLibrary.Driver), plan, useLoaderSearch);
        var blasLt = Find(CudaLibrary.BlasLt, CudaLibraryNames.Sonames(CudaLibrary.BlasLt), plan, useLoaderSearch);
        int? blasMajor = blasLt.Path is null ? null : CudaLibraryNames.MajorOf(System.IO.Path.GetFileName(blasLt.Path));
        var blas = Find(CudaLibrary.Blas, CudaLibraryNames.Sonames(CudaLibrary.Blas, blasMajor), plan, useLoaderSearch);
        var nvrtc = Find(CudaLibrary.Nvrtc, CudaLibraryNames.Sonames(CudaLibrary.Nvrtc), plan, useLoaderSearch);
        return [driver, blasLt, blas, nvrtc];
    }

    private static CudaLibraryLocation Find(CudaLibrary library, IReadOnlyList<string> sonames, IReadOnlyList<CudaSearchDirectory> plan, bool useLoaderSearch)
    {
        foreach (var directory in plan)
        {
            foreach (var soname in sonames)
            {
                var candidate = System.IO.Path.Combine(directory.Path, soname);
                if (File.Exists(candidate))
                {
                    return new CudaLibraryLocation(library, candidate, directory.Origin, sonames);
                }
            }
        }
        return useLoaderSearch
            ? new CudaLibraryLocation(library, sonames[0], "loader search path", sonames)
            : new CudaLibraryLocation(library, null, "", sonames);
    }
}

namespace MusicSearch.Inference.Backends.Cuda;

/// <summary>One directory the locator looks in, and why it is on the list (shown in the report).</summary>
public sealed record CudaSearchDirectory(string Path, string Origin);

/// <summary>
/// The ordered directories the CUDA libraries are searched in: the options' <see cref="CudaOptions.SearchPaths"/>,
/// then <see cref="CudaOptions.PathVariable"/>, then the PyTorch wheels of <see cref="CudaOptions.PythonEnvironments"/>,
/// then the system directories. Only existing directories are kept; a directory appears once, at its first place.
/// </summary>
public static class CudaSearchPlan
{
    /// <summary>
    /// Where drivers and toolkits usually live: the container driver mount (<c>/usr/local/nvidia</c>), Debian/Ubuntu
    /// multiarch, RHEL, and the toolkit's default prefix.
    /// </summary>
    public static IReadOnlyList<string> SystemDirectories { get; } =
    [
        "/usr/local/nvidia/lib64",
        "/usr/local/nvidia/lib",
        "/usr/lib/x86_64-linux-gnu",
        "/usr/lib/aarch64-linux-gnu",
        "/usr/lib64",
        "/usr/local/cuda/lib64",
        "/usr/local/cuda/targets/x86_64-linux/lib",
    ];

    /// <summary>Builds the plan from the options and the value of <see cref="CudaOptions.PathVariable"/> (null when unset).</summary>
    public static IReadOnlyList<CudaSearchDirectory> Build(CudaOptions options, string? pathVariable, IReadOnlyList<string>? systemDirectories = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var plan = new List<CudaSearchDirectory>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        void Add(string path, string origin)
        {
            var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
            if (Directory.Exists(full) && seen.Add(full))
            {
                plan.Add(new CudaSearchDirectory(full, origin));
            }
        }

        void AddWithLibraryFolders(string path, string origin)
        {
            Add(path, origin);
            Add(Path.Combine(path, "lib64"), origin);
            Add(Path.Combine(path, "lib"), origin);
        }

        foreach (var path in options.SearchPaths)
        {
            AddWithLibraryFolders(path, "option");
        }
        foreach (var path in (pathVariable ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            AddWithLibraryFolders(path, CudaOptions.PathVariable);
        }
        foreach (var environment in options.PythonEnvironments)
        {
            foreach (var sitePackages in SitePackages(environment))
            {
                foreach (var wheel in WheelLibraryDirectories(sitePackages))
                {
                    Add(wheel, $"python {sitePackages}");
                }
            }
        }
        if (options.SearchSystemDirectories)
        {
            foreach (var path in systemDirectories ?? SystemDirectories)
            {
                Add(path, "system");
            }
        }
        return plan;
    }

    /// <summary>
    /// The site-packages directories of one python environment entry: the entry itself when it holds an
    /// <c>nvidia</c> folder or is named site-packages, else <c>lib/python3*/site-packages</c> under the entry (a
    /// prefix) or under the prefix of the entry's <c>bin</c> folder (a python executable).
    /// </summary>
    public static IReadOnlyList<string> SitePackages(string environment)
    {
        var full = Path.GetFullPath(environment);
        if (Directory.Exists(full) &&
            (Directory.Exists(Path.Combine(full, "nvidia")) || Path.GetFileName(full) is "site-packages" or "dist-packages"))
        {
            return [full];
        }
        var prefix = File.Exists(full) ? Path.GetDirectoryName(Path.GetDirectoryName(full)) : full;
        var lib = prefix is null ? null : Path.Combine(prefix, "lib");
        if (lib is null || !Directory.Exists(lib))
        {
            return [];
        }
        return [.. Directory.EnumerateDirectories(lib, "python3*")
            .Select(python => Path.Combine(python, "site-packages"))
            .Where(Directory.Exists)
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// The library folders of NVIDIA's wheels: <c>nvidia/cu13/lib</c> (CUDA 13 wheels share one folder) and
    /// <c>nvidia/cublas/lib</c>, <c>nvidia/cuda_nvrtc/lib</c>, … (CUDA 12 wheels, one per library), in name order.
    /// </summary>
    public static IReadOnlyList<string> WheelLibraryDirectories(string sitePackages)
    {
        var nvidia = Path.Combine(sitePackages, "nvidia");
        if (!Directory.Exists(nvidia))
        {
            return [];
        }
        return [.. Directory.EnumerateDirectories(nvidia)
            .Select(package => Path.Combine(package, "lib"))
            .Where(Directory.Exists)
            .Order(StringComparer.Ordinal)];
    }
}

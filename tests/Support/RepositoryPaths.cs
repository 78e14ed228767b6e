namespace MusicSearch.Testing;

/// <summary>Locates the repository and the Python reference from the test binaries.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string TrainingDirectory => Path.Combine(Root, "src", "Training");

    /// <summary>Debian's interpreter sees python3-torch; the first python3 on PATH may not.</summary>
    public static string Python => Environment.GetEnvironmentVariable("MUSICSEARCH_PYTHON") ?? "/usr/bin/python3";

    /// <summary>
    /// A file of the project's shared folder (specifications such as Qdrant's OpenAPI document), which sits beside the
    /// repository, or beside a folder of worktrees.
    /// </summary>
    public static string SharedFile(params string[] parts)
    {
        for (var directory = new DirectoryInfo(Root).Parent; directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine([directory.FullName, "shared", .. parts]);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException($"shared/{string.Join('/', parts)} not found beside {Root} or any folder above it.");
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "search.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"search.sln not found above {AppContext.BaseDirectory}.");
    }
}

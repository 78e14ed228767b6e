using System.Runtime.InteropServices;

namespace MusicSearch.Inference.Backends.Cuda;

/// <summary>The outcome for one library: its handle, or why there is none.</summary>
public sealed record CudaLibraryStatus(CudaLibraryLocation Location, nint Handle, string? Problem)
{
    public bool IsLoaded => Handle != 0;

    public override string ToString() => IsLoaded
        ? $"{Location.Library}: {Location.Path} ({Location.Origin})"
        : $"{Location.Library}: {Problem}";
}

/// <summary>
/// The CUDA libraries of this process: located (<see cref="CudaLibraryLocator"/>) through the search plan of
/// <see cref="CudaOptions"/> and <see cref="CudaOptions.PathVariable"/>, then loaded with <see cref="NativeLibrary"/>.
/// The handles stay loaded for the life of the process: a CUDA library must not be unloaded under a live context.
/// </summary>
public sealed class CudaLibraries
{
    private CudaLibraries(IReadOnlyList<CudaSearchDirectory> searched, IReadOnlyList<CudaLibraryStatus> libraries)
    {
        Searched = searched;
        Libraries = libraries;
    }

    /// <summary>The directories looked in, in order.</summary>
    public IReadOnlyList<CudaSearchDirectory> Searched { get; }

    /// <summary>One status per <see cref="CudaLibrary"/>, in enum order.</summary>
    public IReadOnlyList<CudaLibraryStatus> Libraries { get; }

    public bool AllLoaded => Libraries.All(l => l.IsLoaded);

    public nint Handle(CudaLibrary library)
    {
        var status = Libraries.Single(l => l.Location.Library == library);
        return status.IsLoaded ? status.Handle : throw new InvalidOperationException($"CUDA library {library} is not loaded: {status.Problem}");
    }

    /// <summary>Locates and loads every library; never throws for a missing one (see <see cref="Libraries"/>).</summary>
    public static CudaLibraries Load(CudaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var plan = CudaSearchPlan.Build(options, Environment.GetEnvironmentVariable(CudaOptions.PathVariable));
        var located = CudaLibraryLocator.Locate(plan, options.SearchSystemDirectories);
        return new CudaLibraries(plan, [.. located.OrderBy(l => l.Library).Select(l => LoadOne(l, plan.Count))]);
    }

    /// <summary>One line per library and the searched directories: what the log and <c>bench</c> print.</summary>
    public string Report()
    {
        var lines = Libraries.Select(l => "  " + l).ToList();
        lines.Add("  searched: " + (Searched.Count == 0 ? "(no existing directory)" : string.Join(", ", Searched.Select(d => $"{d.Path} [{d.Origin}]"))));
        return "CUDA libraries:" + Environment.NewLine + string.Join(Environment.NewLine, lines);
    }

    /// <summary>The first missing library and why, in one sentence; null when all are loaded.</summary>
    public string? FirstProblem => Libraries.FirstOrDefault(l => !l.IsLoaded)?.Problem;

    private static CudaLibraryStatus LoadOne(CudaLibraryLocation location, int searchedCount)
    {
        var names = string.Join(" or ", location.Sonames);
        if (location.Path is null)
        {
            return new CudaLibraryStatus(location, 0, $"{names} not found in {searchedCount} searched directories");
        }
        try
        {
            return new CudaLibraryStatus(location, NativeLibrary.Load(location.Path), null);
        }
        catch (DllNotFoundException error)
        {
            var where = location.FromLoaderSearch ? $"in {searchedCount} searched directories nor by the loader" : $"loadable from {location.Path}";
            return new CudaLibraryStatus(location, 0, $"{names} not {where} ({FirstLine(error.Message)})");
        }
        catch (BadImageFormatException error)
        {
            return new CudaLibraryStatus(location, 0, $"{location.Path} is not a loadable library ({FirstLine(error.Message)})");
        }
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}

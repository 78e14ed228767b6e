using System.Runtime.InteropServices;

namespace MusicSearch.Inference.Backends.Cuda.Native;

/// <summary>Resolves entry points from a library handle that <see cref="CudaLibraries"/> loaded.</summary>
internal static class NativeExports
{
    /// <summary>The first of <paramref name="names"/> the library exports (a versioned name first, e.g. <c>_v2</c>).</summary>
    public static nint Resolve(nint library, string libraryName, params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            if (NativeLibrary.TryGetExport(library, name, out var address))
            {
                return address;
            }
        }
        throw new EntryPointNotFoundException($"{libraryName} exports none of {string.Join(", ", names.ToArray())}; the library is older than the backend supports.");
    }
}

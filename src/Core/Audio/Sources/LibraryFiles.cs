using Microsoft.Win32.SafeHandles;

namespace MusicSearch.Core.Audio.Sources;

/// <summary>
/// Opens files that really lie inside the library roots. The check is made on real paths (every symbolic link, "."
/// and ".." resolved by the kernel), first on the path to refuse early without opening anything outside, then again
/// on the file actually opened, so that a path component swapped for a symbolic link in between cannot slip
/// through. The file is opened non-blocking, so a FIFO in the library cannot hang the caller.
/// </summary>
internal sealed class LibraryFiles
{
    private readonly string[] _roots;
    private readonly long _maxBytes;

    /// <exception cref="ArgumentException">A root is not an absolute path to an existing directory.</exception>
    /// <exception cref="PlatformNotSupportedException">Roots are configured on an OS other than Linux.</exception>
    public LibraryFiles(IReadOnlyList<string> roots, long maxBytes)
    {
        if (roots.Count > 0 && !OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Library roots rely on Linux's /proc/self/fd to check the files opened.");
        }

        _roots = [.. roots.Select(RealRoot)];
        _maxBytes = maxBytes;
    }

    /// <param name="path">An absolute path, already free of "." and ".." segments.</param>
    public IAudioSource Open(string path)
    {
        if (!NativeFiles.TryGetRealPath(path, out var realPath, out var error))
        {
            throw Failure(error, path);
        }

        if (!IsInsideRoots(realPath))
        {
            throw new AudioSourceException(
                AudioSourceError.NotAllowed, path, $"it resolves to {realPath}, which is outside the library roots");
        }

        if (!NativeFiles.TryOpenForReading(realPath, out var handle, out error))
        {
            handle.Dispose();
            throw Failure(error, realPath);
        }

        FileStream? content = null;
        try
        {
            var openedPath = CheckOpened(handle, realPath);
            content = new FileStream(handle, FileAccess.Read, bufferSize: 0);
            var length = CheckSize(content, openedPath);
            return new OpenedSource(openedPath, length, new SourceStream(content, openedPath, _maxBytes, deadline: null))
            {
                DescriptorPath = $"/proc/{Environment.ProcessId}/fd/{handle.DangerousGetHandle()}",
            };
        }
        catch
        {
            // The stream, once made, owns the handle.
            ((IDisposable?)content ?? handle).Dispose();
            throw;
        }
    }

    /// <summary>The real path of a file or folder that lies inside the library roots (a catalog folder or manifest to list).</summary>
    /// <exception cref="AudioSourceException">NotFound, or NotAllowed when its real path is outside every root.</exception>
    public string RealPathInside(string path)
    {
        if (!NativeFiles.TryGetRealPath(path, out var realPath, out var error))
        {
            throw Failure(error, path);
        }

        return IsInsideRoots(realPath)
            ? realPath
            : throw new AudioSourceException(AudioSourceError.NotAllowed, path, $"it resolves to {realPath}, which is outside the library roots");
    }

    /// <returns>The real path of the file opened.</returns>
    private string CheckOpened(SafeFileHandle handle, string realPath)
    {
        var openedPath = NativeFiles.PathOf(handle);
        if (!IsInsideRoots(openedPath))
        {
            throw new AudioSourceException(
                AudioSourceError.NotAllowed, realPath, $"what was opened is {openedPath}, outside the library roots (the path changed meanwhile)");
        }

        // Asked through the descriptor's own link: about the file opened, not whatever the path names now.
        return Directory.Exists(NativeFiles.DescriptorLink(handle))
            ? throw new AudioSourceException(AudioSourceError.NotFound, openedPath, "it is a directory, not a file")
            : openedPath;
    }

    private long CheckSize(FileStream content, string openedPath)
    {
        // A FIFO or a socket cannot seek; a device seeks but has no size. Neither is an audio file.
        var length = content.CanSeek ? content.Length : 0;
        if (length == 0)
        {
            throw new AudioSourceException(AudioSourceError.Empty, openedPath, "it is empty, or not a regular file (a FIFO, a device)");
        }

        return length <= _maxBytes
            ? length
            : throw new AudioSourceException(AudioSourceError.TooLarge, openedPath, $"it has {length} bytes, more than the {_maxBytes} allowed");
    }

    private bool IsInsideRoots(string realPath) =>
        _roots.Any(root => realPath.StartsWith(root, StringComparison.Ordinal)
            && (realPath.Length == root.Length || root.EndsWith('/') || realPath[root.Length] == '/'));

    private static AudioSourceException Failure(int error, string path) => error switch
    {
        NativeFiles.NoSuchEntry or NativeFiles.NotADirectory =>
            new(AudioSourceError.NotFound, path, "no such file"),
        NativeFiles.PermissionDenied =>
            new(AudioSourceError.NotAllowed, path, $"the file system refuses access: {NativeFiles.Describe(error)}"),
        _ => new(AudioSourceError.Unavailable, path, $"the file system failed: {NativeFiles.Describe(error)}"),
    };

    private static string RealRoot(string root)
    {
        if (!Path.IsPathFullyQualified(root))
        {
            throw new ArgumentException($"The library root '{root}' is not an absolute path.", nameof(root));
        }

        if (!NativeFiles.TryGetRealPath(root, out var realRoot, out var error) || !Directory.Exists(realRoot))
        {
            var reason = error == 0 ? "is not a directory" : NativeFiles.Describe(error);
            throw new ArgumentException($"The library root '{root}' cannot be used: {reason}.", nameof(root));
        }

        return realRoot;
    }
}

using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MusicSearch.Core.Audio.Sources;

/// <summary>
/// The few Linux calls .NET does not expose: realpath(3), and open(2) with O_NONBLOCK, so that opening a FIFO
/// cannot block the caller's thread until some writer appears.
/// </summary>
internal static partial class NativeFiles
{
    public const int NoSuchEntry = 2;        // ENOENT
    public const int PermissionDenied = 13;  // EACCES
    public const int NotADirectory = 20;     // ENOTDIR

    private const string LibC = "libc";

    // The same values on x86-64 and arm64 Linux.
    private const int OpenReadOnly = 0x0;
    private const int OpenNoControllingTerminal = 0x100;
    private const int OpenNonBlocking = 0x800;
    private const int OpenCloseOnExec = 0x80000;

    /// <summary>The path with every symbolic link, "." and ".." resolved, or the errno of the failure.</summary>
    public static bool TryGetRealPath(string path, out string realPath, out int error)
    {
        RejectNul(path);
        var resolved = RealPath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
        {
            (realPath, error) = ("", Marshal.GetLastPInvokeError());
            return false;
        }

        try
        {
            (realPath, error) = (Marshal.PtrToStringUTF8(resolved)!, 0);
            return true;
        }
        finally
        {
            Free(resolved);
        }
    }

    /// <summary>
    /// Opens for reading without following the path again later: what is checked afterwards (<see cref="PathOf"/>)
    /// is exactly what will be read. The descriptor is not inherited by child processes.
    /// </summary>
    public static bool TryOpenForReading(string path, out SafeFileHandle handle, out int error)
    {
        RejectNul(path);
        var descriptor = Open(path, OpenReadOnly | OpenNonBlocking | OpenNoControllingTerminal | OpenCloseOnExec);
        error = descriptor < 0 ? Marshal.GetLastPInvokeError() : 0;
        handle = new SafeFileHandle(descriptor, ownsHandle: descriptor >= 0);
        return descriptor >= 0;
    }

    /// <summary>Where the kernel says an open file lives: the target of its /proc/self/fd link, free of symbolic links.</summary>
    public static string PathOf(SafeFileHandle handle) =>
        new FileInfo(DescriptorLink(handle)).LinkTarget
        ?? throw new IOException("The kernel did not say where an open file lives.");

    /// <summary>A path that names the open file itself (not whatever its original path names now).</summary>
    public static string DescriptorLink(SafeFileHandle handle) =>
        string.Create(CultureInfo.InvariantCulture, $"/proc/self/fd/{handle.DangerousGetHandle()}");

    public static string Describe(int error) => Marshal.GetPInvokeErrorMessage(error);

    // A C string ends at the first NUL: "/music/a\0/../../etc/x" would be checked as one path and opened as another.
    private static void RejectNul(string path)
    {
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("A path must not contain NUL characters.", nameof(path));
        }
    }

    [LibraryImport(LibC, EntryPoint = "realpath", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr RealPath(string path, IntPtr resolved);

    [LibraryImport(LibC, EntryPoint = "free")]
    private static partial void Free(IntPtr pointer);

    // open(2) is variadic; without O_CREAT or O_TMPFILE it never reads the mode argument, so none is passed.
    [LibraryImport(LibC, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);
}

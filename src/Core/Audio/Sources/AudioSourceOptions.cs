namespace MusicSearch.Core.Audio.Sources;

/// <summary>
/// Where audio may be fetched from and how much one fetch may cost. Nothing is allowed by default: with no library
/// roots every file is refused, with no allowed hosts every URL is.
/// </summary>
public sealed class AudioSourceOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string SectionName = "Audio:Sources";

    /// <summary>
    /// Directories whose files may be read, as absolute paths. A file counts as inside one only when its real
    /// path, with every symbolic link resolved, lies under the root's real path; each root must exist when the
    /// resolver is created.
    /// </summary>
    public IReadOnlyList<string> LibraryRoots { get; init; } = [];

    /// <summary>
    /// Host names (or IP literals) that audio may be fetched from, matched exactly and case-insensitively; an entry
    /// <c>*.example.com</c> allows every subdomain of example.com but not example.com itself. Any port is allowed.
    /// Redirects are followed only to hosts on this list.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>
    /// Whether plain <c>http://</c> may be used (to an allowed host). Off by default, because an unencrypted
    /// transfer can be altered on the way; <c>https://</c> is always allowed to allowed hosts. A redirect from
    /// https to http is refused unless this is on.
    /// </summary>
    public bool AllowHttp { get; init; }

    /// <summary>The largest source accepted, checked against the stated size up front and against the bytes as they arrive.</summary>
    public long MaxBytes { get; init; } = 2L * 1024 * 1024 * 1024;

    /// <summary>
    /// Wall-clock limit of one HTTP fetch, from sending the request to the last byte, redirects included. The
    /// bytes are read as ffmpeg consumes them, so this also bounds a decode that stalls on a slow server.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long establishing one HTTP connection may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How many redirects one fetch may follow.</summary>
    public int MaxRedirects { get; init; } = 5;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(LibraryRoots);
        ArgumentNullException.ThrowIfNull(AllowedHosts);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxBytes);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ConnectTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRedirects);
    }
}

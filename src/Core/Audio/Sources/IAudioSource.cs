namespace MusicSearch.Core.Audio.Sources;

/// <summary>
/// An opened source of one track's audio bytes, checked against <see cref="AudioSourceOptions"/>: a file inside
/// the library roots, or an HTTP response from an allowed host. Dispose it to close the file or the connection.
/// </summary>
public interface IAudioSource : IAsyncDisposable
{
    /// <summary>Where the bytes come from, for messages: the file's real path, or the URL after redirects without its query.</summary>
    string Location { get; }

    /// <summary>
    /// For a library file: <c>/proc/PID/fd/N</c>, the descriptor this process holds on the very file it checked.
    /// ffmpeg reopens that file through it, seekable (so MP4s with their index at the end and tracker modules decode,
    /// truncation is detected, MP3 padding is trimmed), and no path swapped after the check can redirect it. Null for
    /// web sources, which are streamed through <see cref="Content"/>.
    /// </summary>
    string? DescriptorPath { get; }

    /// <summary>The size in bytes, when known before reading (a file's size, a Content-Length).</summary>
    long? Length { get; }

    /// <summary>
    /// The bytes, to read once from start to end. Reads enforce <see cref="AudioSourceOptions.MaxBytes"/> and, for
    /// HTTP, <see cref="AudioSourceOptions.Timeout"/>, and fail with <see cref="AudioSourceException"/>.
    /// </summary>
    Stream Content { get; }
}

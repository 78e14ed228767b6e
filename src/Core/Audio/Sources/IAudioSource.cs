namespace MusicSearch.Core.Audio.Sources;

/// <summary>
/// An opened source of one track's audio bytes, checked against <see cref="AudioSourceOptions"/>: a file inside
/// the library roots, or an HTTP response from an allowed host. Dispose it to close the file or the connection.
/// </summary>
public interface IAudioSource : IAsyncDisposable
{
    /// <summary>Where the bytes come from, for messages: the file's real path, or the URL after redirects without its query.</summary>
    string Location { get; }

    /// <summary>The size in bytes, when known before reading (a file's size, a Content-Length).</summary>
    long? Length { get; }

    /// <summary>
    /// The bytes, to read once from start to end. Reads enforce <see cref="AudioSourceOptions.MaxBytes"/> and, for
    /// HTTP, <see cref="AudioSourceOptions.Timeout"/>, and fail with <see cref="AudioSourceException"/>.
    /// </summary>
    Stream Content { get; }
}

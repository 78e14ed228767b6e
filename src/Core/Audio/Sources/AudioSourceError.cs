namespace MusicSearch.Core.Audio.Sources;

/// <summary>Why audio could not be fetched. <see cref="AudioSourceException.IsTransient"/> says whether to retry.</summary>
public enum AudioSourceError
{
    /// <summary>
    /// Not a usable audio address: an unsupported scheme (only file, http and https are), a relative path, a file
    /// URI naming another machine, credentials inside the URI.
    /// </summary>
    InvalidUri,

    /// <summary>
    /// Refused by configuration: a file outside the library roots (however it gets there: "..", symbolic links), a
    /// host not on the allow-list (also as a redirect's target), plain http while it is off, a file we may not read.
    /// </summary>
    NotAllowed,

    /// <summary>No such file or directory entry, a directory instead of a file, or HTTP 404 / 410.</summary>
    NotFound,

    /// <summary>The source holds no bytes: an empty file, or not a regular file at all (a FIFO, a device).</summary>
    Empty,

    /// <summary>Larger than <see cref="AudioSourceOptions.MaxBytes"/>, as stated up front or as counted while reading.</summary>
    TooLarge,

    /// <summary>No connection within the connect timeout, or the fetch did not finish within <see cref="AudioSourceOptions.Timeout"/>.</summary>
    TimedOut,

    /// <summary>Any other unsuccessful HTTP status (see <see cref="AudioSourceException.StatusCode"/>), or too many redirects.</summary>
    HttpError,

    /// <summary>The server or the file system failed: no DNS answer, connection refused or reset mid-transfer, an I/O error.</summary>
    Unavailable,
}

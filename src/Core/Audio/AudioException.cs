namespace MusicSearch.Core.Audio;

/// <summary>
/// A track's audio could not be fetched or decoded. The indexing pipeline catches this one type and retries the
/// track later when <see cref="IsTransient"/> says a retry may succeed, or fails it for good otherwise.
/// </summary>
public abstract class AudioException : Exception
{
    protected AudioException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// True when the same request may well succeed later (a server error, a broken connection, a timeout); false
    /// when it cannot succeed without someone changing the audio or the configuration.
    /// </summary>
    public abstract bool IsTransient { get; }
}

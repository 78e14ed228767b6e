namespace MusicSearch.Indexing.Messaging;

/// <summary>
/// A failure that no retry can fix (the audio is not audio, the track does not exist, the message is invalid).
/// Thrown from a consumer (directly, derived from, or wrapping the cause), it skips the retry policy and the
/// message goes straight to the endpoint's <c>_error</c> queue. Exceptions of other libraries that are
/// permanent only in some cases can be declared through the <c>permanentFailures</c> hook of
/// <see cref="BusServiceCollectionExtensions.AddMusicSearchBus"/> instead.
/// </summary>
public class PermanentFailureException : Exception
{
    public PermanentFailureException()
    {
    }

    public PermanentFailureException(string message)
        : base(message)
    {
    }

    public PermanentFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

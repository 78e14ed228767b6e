using MusicSearch.Core.Catalog;

namespace MusicSearch.Core.Storage;

/// <summary>A track store refused an operation for a reason that retrying will not change.</summary>
public class TrackStoreException : Exception
{
    public TrackStoreException()
    {
    }

    public TrackStoreException(string message) : base(message)
    {
    }

    public TrackStoreException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>The store could not be reached or could not write (disk full, I/O error, server down): worth retrying.</summary>
public class TrackStoreUnavailableException : TrackStoreException
{
    public TrackStoreUnavailableException()
    {
    }

    public TrackStoreUnavailableException(string message) : base(message)
    {
    }

    public TrackStoreUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>A query named a track that is not in the collection or has no vectors.</summary>
public class UnknownTrackException : TrackStoreException
{
    public UnknownTrackException()
    {
    }

    public UnknownTrackException(string message) : base(message)
    {
    }

    public UnknownTrackException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public UnknownTrackException(TrackId trackId, string why) : base($"track '{trackId}' {why}") => TrackId = trackId;

    public TrackId? TrackId { get; }
}

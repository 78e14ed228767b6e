using System.Net;

namespace MusicSearch.Core.Audio.Sources;

/// <summary>Audio that could not be fetched; <see cref="AudioSourceError"/> says why.</summary>
public sealed class AudioSourceException : AudioException
{
    public AudioSourceException(
        AudioSourceError kind, string location, string reason, HttpStatusCode? statusCode = null, Exception? innerException = null)
        : base($"{kind}: {reason} ({location}).", innerException)
    {
        Kind = kind;
        Location = location;
        StatusCode = statusCode;
    }

    public AudioSourceError Kind { get; }

    /// <summary>The path or URL, as far as it got (after redirects); URLs without their query, which may hold credentials.</summary>
    public string Location { get; }

    /// <summary>The HTTP status the server answered with, when that is why the fetch failed.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>
    /// Timeouts, unreachable servers, broken transfers, server errors (5xx), 408 and 429 may pass later; bad
    /// addresses, refusals, missing or oversized audio and other client errors (4xx) will not.
    /// </summary>
    public override bool IsTransient => Kind switch
    {
        AudioSourceError.TimedOut or AudioSourceError.Unavailable => true,
        AudioSourceError.HttpError => StatusCode is { } status
            && ((int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests),
        _ => false,
    };
}

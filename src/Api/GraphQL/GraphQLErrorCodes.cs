using MusicSearch.Api.Errors;
using MusicSearch.Core.Storage;
using MusicSearch.GraphQL;

namespace MusicSearch.Api.GraphQL;

/// <summary>
/// The <c>extensions.code</c> values the schema adds to the engine's (<see cref="ErrorCodes"/>), and the one place
/// where the services' typed failures become coded GraphQL errors, so that a client can act on every refusal and no
/// caller mistake shows up as INTERNAL_SERVER_ERROR.
/// </summary>
public static class GraphQLErrorCodes
{
    /// <summary>An id the catalog does not hold (the field is null).</summary>
    public const string NotFound = "NOT_FOUND";

    /// <summary>The API key's role does not allow the field.</summary>
    public const string Forbidden = "FORBIDDEN";

    /// <summary>The store cannot answer now; retrying later may help.</summary>
    public const string Unavailable = "SERVICE_UNAVAILABLE";

    /// <summary>The HTTP request is not a well-formed GraphQL request (malformed JSON, parameters of the wrong type, a batch).</summary>
    public const string BadRequest = "BAD_REQUEST";

    /// <summary>The POST body is neither JSON nor a multipart upload.</summary>
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";

    /// <summary>A mutation sent with GET.</summary>
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";

    /// <summary>The request body is larger than the Api accepts.</summary>
    public const string PayloadTooLarge = "PAYLOAD_TOO_LARGE";

    /// <summary>A persisted-query hash the server does not know: send the query along with it once.</summary>
    public const string PersistedQueryNotFound = "PERSISTED_QUERY_NOT_FOUND";

    /// <summary>The query sent with a persisted-query hash does not have that hash.</summary>
    public const string PersistedQueryHashMismatch = "PERSISTED_QUERY_HASH_MISMATCH";

    /// <summary>The persisted-query extension is malformed or of an unknown version.</summary>
    public const string PersistedQueryNotSupported = "PERSISTED_QUERY_NOT_SUPPORTED";

    /// <summary>Whether <see cref="Translate"/> turns <paramref name="exception"/> into a client-facing error.</summary>
    public static bool IsTranslatable(Exception exception) =>
        exception is ApiException or UnknownTrackException or TrackStoreUnavailableException or ArgumentException;

    /// <summary>
    /// A typed failure as a GraphQL error: unknown tracks NOT_FOUND, refused input BAD_USER_INPUT (the service's own
    /// code in <c>extensions.reason</c>), an unavailable store SERVICE_UNAVAILABLE, others their code in CONSTANT_CASE.
    /// </summary>
    public static GraphQLException Translate(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            TrackNotFoundException or UnknownTrackException => new GraphQLException(exception.Message, NotFound),
            ApiException api => new GraphQLException(api.Message, CodeOf(api), new Dictionary<string, object?> { ["reason"] = api.Code }),
            TrackStoreUnavailableException => new GraphQLException(exception.Message, Unavailable),
            ArgumentException => new GraphQLException(exception.Message, ErrorCodes.BadUserInput),
            _ => throw new ArgumentException($"{exception.GetType().Name} is not a failure the schema reports to clients", nameof(exception)),
        };
    }

    private static string CodeOf(ApiException api) => api.StatusCode switch
    {
        StatusCodes.Status404NotFound => NotFound,
        StatusCodes.Status403Forbidden => Forbidden,
        StatusCodes.Status503ServiceUnavailable when api is not NoActiveCollectionException => Unavailable,
        >= 400 and < 500 when api.StatusCode != StatusCodes.Status409Conflict => ErrorCodes.BadUserInput,
        _ => api.Code.Replace('-', '_').ToUpperInvariant(),
    };
}

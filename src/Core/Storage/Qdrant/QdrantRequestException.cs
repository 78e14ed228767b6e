using System.Net;

namespace MusicSearch.Core.Storage.Qdrant;

/// <summary>Qdrant refused a request (a 4xx answer): retrying it unchanged will not help. Carries Qdrant's own message.</summary>
public sealed class QdrantRequestException : TrackStoreException
{
    public QdrantRequestException()
    {
    }

    public QdrantRequestException(string message) : base(message)
    {
    }

    public QdrantRequestException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public QdrantRequestException(HttpStatusCode statusCode, string request, string? serverError)
        : base($"Qdrant refused {request} ({(int)statusCode} {statusCode}): {serverError ?? "no error message"}")
    {
        StatusCode = statusCode;
        ServerError = serverError;
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>Qdrant's <c>status.error</c>, when the answer had one.</summary>
    public string? ServerError { get; }
}

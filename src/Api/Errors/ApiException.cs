namespace MusicSearch.Api.Errors;

/// <summary>
/// A request the Api refuses for a reason the caller can act on. Each subclass fixes its HTTP status and stable code,
/// so REST endpoints and the GraphQL schema report it the same way (status, <c>extensions.code</c>).
/// </summary>
public abstract class ApiException : Exception
{
    protected ApiException(string message) : base(message)
    {
    }

    protected ApiException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public abstract int StatusCode { get; }

    public abstract string Code { get; }
}

/// <summary>Nothing can be searched yet: the store has no active collection (nothing was ever indexed).</summary>
public sealed class NoActiveCollectionException() : ApiException("the catalog has no indexed collection yet: index tracks first")
{
    public override int StatusCode => StatusCodes.Status503ServiceUnavailable;

    public override string Code => "no-collection";
}

/// <summary>The Api's model embeds vectors that do not belong in the collection being searched.</summary>
public sealed class ModelMismatchException(string apiModel, string collectionModel)
    : ApiException($"the Api embeds with model '{apiModel}' but the active collection holds '{collectionModel}' vectors")
{
    public override int StatusCode => StatusCodes.Status409Conflict;

    public override string Code => "model-mismatch";
}

/// <summary>A track id that the catalog does not hold (or holds without vectors).</summary>
public sealed class TrackNotFoundException(string message) : ApiException(message)
{
    public override int StatusCode => StatusCodes.Status404NotFound;

    public override string Code => "unknown-track";
}

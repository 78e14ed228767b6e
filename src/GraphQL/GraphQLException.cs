namespace MusicSearch.GraphQL;

/// <summary>
/// An error whose message is meant for the client. Resolvers throw it to fail a field with a message of their own
/// (any other exception becomes a generic "Unexpected error." so that internals never leak), and scalar and enum
/// coercion throw it for values they cannot represent.
/// </summary>
public class GraphQLException : Exception
{
    public GraphQLException()
    {
    }

    public GraphQLException(string message)
        : base(message)
    {
    }

    public GraphQLException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <param name="message">Shown to the client as the error's <c>message</c>.</param>
    /// <param name="code">
    /// The error's <c>extensions.code</c> (see <see cref="ErrorCodes"/> or use your own, e.g. "NOT_FOUND"); when null
    /// the engine picks one from where the error happened: BAD_USER_INPUT for input, INTERNAL_SERVER_ERROR otherwise.
    /// </param>
    /// <param name="extensions">More entries for the error's <c>extensions</c>.</param>
    public GraphQLException(string message, string? code, IReadOnlyDictionary<string, object?>? extensions = null)
        : base(message)
    {
        Code = code;
        Extensions = extensions;
    }

    public string? Code { get; }

    public IReadOnlyDictionary<string, object?>? Extensions { get; }
}

namespace MusicSearch.Api.GraphQL.Http;

/// <summary>
/// A GraphQL request refused before execution, answered as a GraphQL response with one error. <see cref="StatusCode"/>
/// is fixed for transport problems (415, 405, 413, 400 for a malformed body); null marks a GraphQL request error
/// (an unknown persisted query, say), whose status depends on the response media type like any other request error.
/// </summary>
public sealed class GraphQLHttpException(int? statusCode, string code, string message) : Exception(message)
{
    public int? StatusCode { get; } = statusCode;

    public string Code { get; } = code;

    public static GraphQLHttpException BadRequest(string message) => new(StatusCodes.Status400BadRequest, GraphQLErrorCodes.BadRequest, message);
}

using System.Security.Claims;
using MusicSearch.Api.GraphQL.SchemaDefinition;
using MusicSearch.GraphQL;

namespace MusicSearch.Api.GraphQL;

/// <summary>
/// What resolvers know about the HTTP request they answer: who asks (the API key's roles), the files a multipart
/// request carried, and the origin the client reached the Api at (for absolute preview URLs).
/// </summary>
public sealed class GraphQLRequestContext(ClaimsPrincipal user, string origin, IReadOnlyDictionary<string, IFormFile> uploads)
{
    public ClaimsPrincipal User { get; } = user;

    /// <summary>Scheme, host and path base, without a trailing slash: <c>http://localhost:5080</c>.</summary>
    public string Origin { get; } = origin;

    /// <summary>Files of a multipart request, by the name of their form part.</summary>
    public IReadOnlyDictionary<string, IFormFile> Uploads { get; } = uploads;

    public static GraphQLRequestContext For(HttpContext http, IReadOnlyDictionary<string, IFormFile>? uploads = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        var request = http.Request;
        return new GraphQLRequestContext(http.User, $"{request.Scheme}://{request.Host}{request.PathBase}", uploads ?? new Dictionary<string, IFormFile>());
    }

    /// <exception cref="GraphQLException">FORBIDDEN: the key lacks <paramref name="role"/> (or there is no key).</exception>
    public void RequireRole(string role, string what)
    {
        if (!User.IsInRole(role))
        {
            var who = User.Identity is { IsAuthenticated: true, Name: { } name } ? $"the key '{name}'" : "a request without an API key";
            throw new GraphQLException($"{what} needs a key with the {role} role; {who} does not have it", GraphQLErrorCodes.Forbidden);
        }
    }

    /// <summary>The file a variable of type Upload refers to.</summary>
    /// <exception cref="GraphQLException">BAD_USER_INPUT: the request carried no such file.</exception>
    public IFormFile Upload(UploadReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return Uploads.TryGetValue(reference.Part, out var file)
            ? file
            : throw new GraphQLException(
                $"the request has no file part '{reference.Part}': send files as a multipart request (GraphQL multipart request spec)", ErrorCodes.BadUserInput);
    }
}

using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace MusicSearch.Api.GraphQL.Http;

/// <summary>
/// The two response media types of the GraphQL-over-HTTP draft. <c>application/graphql-response+json</c> says with its
/// status code whether the request was valid (4xx for request errors); <c>application/json</c> is the legacy type,
/// always 200 for a well-formed request. The client's <c>Accept</c> header picks one (the first of equal quality
/// wins ties, graphql-response+json for wildcards); without an Accept header, or with one naming neither, the draft
/// asks for application/json.
/// </summary>
public sealed class ResponseMediaType
{
    public static readonly ResponseMediaType GraphQLResponse = new("application/graphql-response+json", requestErrorStatus: StatusCodes.Status400BadRequest);
    public static readonly ResponseMediaType Json = new("application/json", requestErrorStatus: StatusCodes.Status200OK);

    private ResponseMediaType(string name, int requestErrorStatus)
    {
        Name = name;
        ContentType = name + "; charset=utf-8";
        RequestErrorStatus = requestErrorStatus;
    }

    public string Name { get; }

    public string ContentType { get; }

    /// <summary>The status of a response without data (syntax, validation, variables, an unknown persisted query).</summary>
    public int RequestErrorStatus { get; }

    public static ResponseMediaType Negotiate(StringValues accept)
    {
        if (!MediaTypeHeaderValue.TryParseList(accept, out var ranges) || ranges.Count == 0)
        {
            return Json;
        }
        ResponseMediaType? best = null;
        double bestQuality = 0;
        foreach (var range in ranges)
        {
            var quality = range.Quality ?? 1;
            var candidate = range.MediaType.Value?.ToLowerInvariant() switch
            {
                "application/graphql-response+json" or "application/*" or "*/*" => GraphQLResponse,
                "application/json" => Json,
                _ => null,
            };
            if (candidate is not null && quality > bestQuality)
            {
                (best, bestQuality) = (candidate, quality);
            }
        }
        return best ?? Json;
    }
}

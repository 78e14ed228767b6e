using System.Text.Json;
using MusicSearch.GraphQL.Execution;

namespace MusicSearch.Api.GraphQL.Http;

/// <summary>A GraphQL request read from HTTP, with the files of a multipart request; owns the JSON its values point into.</summary>
public sealed class ParsedGraphQLRequest(GraphQLRequest request, IReadOnlyDictionary<string, IFormFile> uploads, IReadOnlyList<JsonDocument> documents) : IDisposable
{
    public GraphQLRequest Request { get; } = request;

    public IReadOnlyDictionary<string, IFormFile> Uploads { get; } = uploads;

    public void Dispose()
    {
        foreach (var document in documents)
        {
            document.Dispose();
        }
    }
}

using System.Text.Json;
using MusicSearch.GraphQL.Execution;

namespace MusicSearch.Api.GraphQL.Http;

/// <summary>
/// The automatic persisted query protocol (<c>extensions.persistedQuery = {version: 1, sha256Hash}</c>): a hash alone is
/// answered from the store or with PERSISTED_QUERY_NOT_FOUND (the client then sends the query with the hash once); a
/// query with a hash must have that hash and is stored once it executed.
/// </summary>
public sealed class PersistedQueries(PersistedQueryStore store)
{
    /// <summary>The message Apollo clients look for, besides the code.</summary>
    public const string NotFoundMessage = "PersistedQueryNotFound";

    /// <summary>The request to execute, and the hash to store its query under once it ran (null when there is nothing to store).</summary>
    /// <exception cref="GraphQLHttpException">Unknown hash, a hash that does not match the query, or a malformed extension.</exception>
    public (GraphQLRequest Request, string? Register) Resolve(GraphQLRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Extensions is not { } extensions || !extensions.TryGetProperty("persistedQuery", out var persisted) || persisted.ValueKind == JsonValueKind.Null)
        {
            return (request, null);
        }
        var hash = ReadHash(persisted);
        if (request.Query is null)
        {
            return store.TryGet(hash, out var query)
                ? (request with { Query = query }, null)
                : throw new GraphQLHttpException(null, GraphQLErrorCodes.PersistedQueryNotFound, NotFoundMessage);
        }
        return PersistedQueryStore.Hash(request.Query) == hash
            ? (request, hash)
            : throw new GraphQLHttpException(null, GraphQLErrorCodes.PersistedQueryHashMismatch, "provided sha does not match query");
    }

    /// <summary>Stores the query of a request that executed (so it parsed and validated).</summary>
    public void Register(string hash, string query) => store.Add(hash, query);

    private static string ReadHash(JsonElement persisted)
    {
        if (persisted.ValueKind != JsonValueKind.Object
            || !persisted.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var number) || number != 1)
        {
            throw new GraphQLHttpException(null, GraphQLErrorCodes.PersistedQueryNotSupported, "persisted queries are supported in version 1 only: {\"version\": 1, \"sha256Hash\": …}");
        }
        if (!persisted.TryGetProperty("sha256Hash", out var hash) || hash.ValueKind != JsonValueKind.String
            || hash.GetString() is not { Length: 64 } text || !text.All(char.IsAsciiHexDigit))
        {
            throw new GraphQLHttpException(null, GraphQLErrorCodes.PersistedQueryNotSupported, "extensions.persistedQuery.sha256Hash must be 64 hex digits");
        }
        return text.ToLowerInvariant();
    }
}

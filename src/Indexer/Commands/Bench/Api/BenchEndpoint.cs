using System.Globalization;

namespace MusicSearch.Indexer.Commands.Bench.Api;

/// <summary>
/// The two ways to ask the same store call: <c>similarTracks</c> over GraphQL (POST, variables, the fields the REST
/// endpoint returns) and the bare REST endpoint <c>GET /api/similar/{id}</c>. Each request picks a random track.
/// </summary>
internal sealed record BenchEndpoint(string Name, string Path, string Script)
{
    public const string GraphQLQuery =
        "query Similar($id: ID!, $first: Int) { similarTracks(trackId: $id, first: $first) { edges { score node { id title artist album } } pageInfo { endCursor hasNextPage } } }";

    public static BenchEndpoint Rest(int tracks, int first) => new("rest", "/api/similar/", Lua(tracks, $$"""
        function request()
          return wrk.format("GET", string.format("/api/similar/b%06d?first={{first}}", math.random(0, tracks - 1)))
        end
        """));

    public static BenchEndpoint GraphQL(int tracks, int first)
    {
        var body = "{\"query\":\"" + GraphQLQuery.Replace("\"", "\\\"", StringComparison.Ordinal) + "\",\"variables\":{\"id\":\"b%06d\",\"first\":"
            + first.ToString(CultureInfo.InvariantCulture) + "}}";
        return new("graphql", "/graphql", Lua(tracks, $$"""
            local headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/graphql-response+json" }
            local body = '{{body}}'
            function request()
              return wrk.format("POST", "/graphql", headers, string.format(body, math.random(0, tracks - 1)))
            end
            """));
    }

    /// <summary>Every wrk thread gets its own seed (1, 2, …) so the sequence of tracks is the same from run to run.</summary>
    private static string Lua(int tracks, string request) => $$"""
        -- written by `musicsearch bench api`
        tracks = {{tracks.ToString(CultureInfo.InvariantCulture)}}
        local threads = 0
        function setup(thread)
          threads = threads + 1
          thread:set("seed", threads)
        end
        function init(args)
          math.randomseed(seed)
        end
        {{request}}
        """;
}

using System.Text.Json.Nodes;
using MusicSearch.Testing;

namespace MusicSearch.GraphQL.Tests.Conformance;

/// <summary>
/// Asks graphql-js 16.15.0 (tests/GraphQL.Tests/js, installed by scripts/install-prereqs.sh) through js/oracle.js.
/// Each call starts one Node process for a whole batch, so test classes ask once, in a fixture.
/// </summary>
internal static class GraphQLJs
{
    private static string Directory => Path.Combine(RepositoryPaths.Root, "tests", "GraphQL.Tests", "js");

    /// <returns>One answer per request, in order; a request that threw answers <c>{"error": {"message", "locations"}}</c>.</returns>
    public static async Task<IReadOnlyList<JsonObject>> AskAsync(IEnumerable<JsonObject> requests)
    {
        if (!File.Exists(Path.Combine(Directory, "node_modules", "graphql", "package.json")))
        {
            throw new InvalidOperationException($"graphql-js is not installed in {Directory}; run scripts/install-prereqs.sh.");
        }

        using var temporary = new TemporaryDirectory();
        var file = temporary.File("requests.json");
        await File.WriteAllTextAsync(file, new JsonArray([.. requests]).ToJsonString());
        var output = await ExternalTool.RunAsync("node", [Path.Combine(Directory, "oracle.js"), file], Directory);
        return [.. JsonNode.Parse(output)!.AsArray().Select(answer => answer!.AsObject())];
    }

    public static JsonObject Request(string op, params (string Name, JsonNode? Value)[] arguments)
    {
        var request = new JsonObject { ["op"] = op };
        foreach (var (name, value) in arguments)
        {
            request[name] = value?.Parent is null ? value : value.DeepClone();
        }

        return request;
    }
}

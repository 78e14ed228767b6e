using System.Net.Http.Json;
using System.Text.Json;
using MusicSearch.Core.Storage;
using MusicSearch.Core.Storage.Qdrant;
using MusicSearch.Core.Tests.Storage.Contract;

namespace MusicSearch.Core.Tests.Storage.Qdrant;

/// <summary>
/// The contract suite against a real Qdrant at <c>QDRANT_URL</c> (with <c>QDRANT_API_KEY</c> when it has one), e.g.
/// <c>docker compose up -d qdrant</c> then <c>QDRANT_URL=http://localhost:6333 dotnet test tests/Core.Tests --filter
/// LiveQdrant</c>. Each test works in a namespace of its own and deletes it afterwards, so a shared server keeps its
/// other collections. Without the variable every test is reported as skipped.
/// </summary>
[RequiresEnvironment("QDRANT_URL")]
public sealed class LiveQdrantContractTests : TrackStoreContractTests
{
    private readonly string _namespace = $"contract_{Guid.NewGuid():N}"[..25] + "_";

    private static Uri Url => new(Environment.GetEnvironmentVariable("QDRANT_URL")!);

    private static string? ApiKey => Environment.GetEnvironmentVariable("QDRANT_API_KEY");

    protected override Task<ITrackCollections> CreateCollectionsAsync() => Task.FromResult<ITrackCollections>(Open());

    protected override async Task<ITrackCollections> ReopenCollectionsAsync(ITrackCollections current)
    {
        await current.DisposeAsync();
        return Open();
    }

    /// <summary>Deletes the namespace's collections (with them goes its alias).</summary>
    protected override async Task DeleteStoreAsync()
    {
        using var client = new HttpClient { BaseAddress = Url };
        if (ApiKey is { } key)
        {
            client.DefaultRequestHeaders.Add("api-key", key);
        }
        using var listing = await client.GetFromJsonAsync<JsonDocument>("/collections");
        foreach (var name in listing!.RootElement.GetProperty("result").GetProperty("collections").EnumerateArray()
            .Select(c => c.GetProperty("name").GetString()!).Where(name => name.StartsWith(_namespace, StringComparison.Ordinal)))
        {
            using var response = await client.DeleteAsync($"/collections/{name}");
            response.EnsureSuccessStatusCode();
        }
    }

    private QdrantTrackCollections Open() => new(new QdrantStoreOptions { Url = Url, ApiKey = ApiKey, Namespace = _namespace });
}

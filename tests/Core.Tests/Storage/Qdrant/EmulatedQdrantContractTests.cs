using MusicSearch.Core.Storage;
using MusicSearch.Core.Storage.Qdrant;
using MusicSearch.Core.Tests.Storage.Contract;

namespace MusicSearch.Core.Tests.Storage.Qdrant;

/// <summary>
/// The whole contract suite on the Qdrant store talking to <see cref="FakeQdrant"/>: every request the store sends in
/// the suite, and every answer it parses, is checked against Qdrant's OpenAPI document on the way.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The server is disposed in DeleteStoreAsync, at the end of each test.")]
public sealed class EmulatedQdrantContractTests : TrackStoreContractTests
{
    // Disposed by DeleteStoreAsync, which the base class runs after the collections.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2213", Justification = "Disposed in DeleteStoreAsync.")]
    private readonly FakeQdrant _server = new();

    protected override Task<ITrackCollections> CreateCollectionsAsync() => Task.FromResult<ITrackCollections>(Open());

    protected override async Task<ITrackCollections> ReopenCollectionsAsync(ITrackCollections current)
    {
        await current.DisposeAsync();
        return Open();
    }

    protected override Task DeleteStoreAsync()
    {
        _server.Dispose();
        return Task.CompletedTask;
    }

    private QdrantTrackCollections Open() => new(new QdrantStoreOptions { Url = new Uri("http://qdrant.test:6333"), MaxRetries = 0 }, _server);
}

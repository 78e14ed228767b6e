using MusicSearch.Core.Storage;
using MusicSearch.Core.Storage.Embedded;
using MusicSearch.Core.Tests.Storage.Contract;

namespace MusicSearch.Core.Tests.Storage;

/// <summary>The contract suite on the embedded store, each test in its own directory.</summary>
public sealed class EmbeddedTrackStoreContractTests : TrackStoreContractTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "musicsearch-tests-" + Guid.NewGuid().ToString("N"));

    protected override Task<ITrackCollections> CreateCollectionsAsync() => Task.FromResult<ITrackCollections>(Open());

    protected override async Task<ITrackCollections> ReopenCollectionsAsync(ITrackCollections current)
    {
        await current.DisposeAsync();
        return Open();
    }

    protected override Task DeleteStoreAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    private EmbeddedTrackCollections Open() => new(new EmbeddedStoreOptions { Directory = _directory, SearchThreads = 2 });
}

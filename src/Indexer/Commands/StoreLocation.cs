using System.CommandLine;
using Microsoft.Extensions.Configuration;
using MusicSearch.Core.Storage;

namespace MusicSearch.Indexer.Commands;

/// <summary>
/// Where the catalog commands find the track store: the kind and its settings from the environment (<c>Store__Kind</c>,
/// <c>Store__Qdrant__Url</c>, … as in <see cref="TrackStores"/>); the embedded store's folder is <c>--store DIR</c>, else
/// <c>Store__Directory</c>, else <c>$MUSICSEARCH_STORE</c>, else <c>./data/store</c> (where <c>./run.sh</c> puts it).
/// Which collection: <c>--model-version</c>, else the active one.
/// </summary>
internal sealed class StoreLocation
{
    private readonly Option<DirectoryInfo?> _store = new("--store") { Description = "The embedded track store's folder (default: $MUSICSEARCH_STORE or ./data/store; Store__Kind=Qdrant uses Qdrant instead)." };
    private readonly Option<string?> _modelVersion = new("--model-version") { Description = "The collection of this model version (default: the active collection)." };

    public void AddTo(Command command, bool withModelVersion = true)
    {
        command.Options.Add(_store);
        if (withModelVersion)
        {
            command.Options.Add(_modelVersion);
        }
    }

    public string? ModelVersion(ParseResult parse) => parse.GetValue(_modelVersion);

    public ITrackCollections Open(ParseResult parse)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("MUSICSEARCH_STORE");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([KeyValuePair.Create<string, string?>("Store:Directory",
                string.IsNullOrEmpty(fromEnvironment) ? Path.Combine("data", "store") : fromEnvironment)])
            .AddEnvironmentVariables()
            .AddInMemoryCollection(parse.GetValue(_store) is { } store ? [KeyValuePair.Create<string, string?>("Store:Directory", store.FullName)] : [])
            .Build();
        return TrackStores.Open(configuration.GetSection(TrackStores.SectionName));
    }

    /// <summary>The collection to read: the one named by <c>--model-version</c>, else the active one.</summary>
    public async Task<ITrackStore> CollectionAsync(ITrackCollections collections, ParseResult parse, CancellationToken cancellationToken)
    {
        if (ModelVersion(parse) is { } version)
        {
            var info = (await collections.ListAsync(cancellationToken)).FirstOrDefault(collection => collection.ModelVersion == version)
                ?? throw new InvalidOperationException($"the store has no collection for model version '{version}'");
            return await collections.OpenAsync(version, info.Dimensions, cancellationToken);
        }
        return await collections.GetActiveAsync(cancellationToken)
            ?? throw new InvalidOperationException("the store has no active collection yet: index something first (musicsearch index …)");
    }
}

using System.CommandLine;
using MusicSearch.Core.Storage;
using MusicSearch.Core.Storage.Embedded;

namespace MusicSearch.Indexer.Commands;

/// <summary>
/// Where the catalog commands find the embedded track store: <c>--store DIR</c>, else <c>$MUSICSEARCH_STORE</c>, else
/// <c>./data/store</c> (where <c>./run.sh</c> puts it). Which collection: <c>--model-version</c>, else the active one.
/// </summary>
internal sealed class StoreLocation
{
    private readonly Option<DirectoryInfo?> _store = new("--store") { Description = "The embedded track store's folder (default: $MUSICSEARCH_STORE or ./data/store)." };
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

    public EmbeddedTrackCollections Open(ParseResult parse)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("MUSICSEARCH_STORE");
        var directory = parse.GetValue(_store)?.FullName
            ?? (string.IsNullOrEmpty(fromEnvironment) ? Path.Combine("data", "store") : fromEnvironment);
        return new EmbeddedTrackCollections(new EmbeddedStoreOptions { Directory = directory });
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

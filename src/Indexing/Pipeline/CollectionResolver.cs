using Microsoft.Extensions.Logging;
using MusicSearch.Core.Storage;
using MusicSearch.Inference.Embedding;

namespace MusicSearch.Indexing.Pipeline;

/// <summary>
/// Which collection an <c>IndexTrack</c> is written to. A worker only ever writes vectors of its own model, into
/// that model's collection:
/// <list type="bullet">
/// <item>a message naming a model version must name this worker's model;</item>
/// <item>a message naming none goes to the active collection when it holds this worker's model, or to this model's
/// collection while a re-index fills it (the catalog's changes then land in the collection about to become active);</item>
/// <item>with no active collection at all (a fresh store), this model's collection is created and activated.</item>
/// </list>
/// Anything else is a model mismatch: a permanent failure of that message, left for a worker with the right package.
/// </summary>
public sealed class CollectionResolver(ITrackCollections collections, AudioEmbedder embedder, ILogger<CollectionResolver> logger)
{
    private ITrackStore? _own;

    public string ModelVersion => embedder.ModelVersion;

    /// <summary>This worker's model's collection, created empty if missing.</summary>
    public async Task<ITrackStore> OpenOwnAsync(CancellationToken cancellationToken) =>
        _own ??= await collections.OpenAsync(ModelVersion, embedder.Dimensions, cancellationToken).ConfigureAwait(false);

    /// <returns>The target store, or null with the reason when this worker cannot serve the requested model.</returns>
    public async Task<(ITrackStore? Store, string? Problem)> ResolveAsync(string? requestedModel, CancellationToken cancellationToken)
    {
        if (requestedModel is not null)
        {
            return requestedModel == ModelVersion
                ? (await OpenOwnAsync(cancellationToken).ConfigureAwait(false), null)
                : (null, $"the message asks for model '{requestedModel}' but this worker embeds with '{ModelVersion}'");
        }
        var active = await collections.GetActiveAsync(cancellationToken).ConfigureAwait(false);
        if (active is null)
        {
            var own = await OpenOwnAsync(cancellationToken).ConfigureAwait(false);
            await collections.ActivateAsync(ModelVersion, cancellationToken).ConfigureAwait(false);
            PipelineLog.Bootstrapped(logger, own.Info.Name, ModelVersion);
            return (own, null);
        }
        if (active.Info.ModelVersion == ModelVersion)
        {
            return (active, null);
        }
        var existing = await collections.ListAsync(cancellationToken).ConfigureAwait(false);
        if (existing.Any(collection => collection.ModelVersion == ModelVersion))
        {
            return (await OpenOwnAsync(cancellationToken).ConfigureAwait(false), null);
        }
        return (null, $"the active collection holds model '{active.Info.ModelVersion}' but this worker embeds with '{ModelVersion}': " +
            "run workers with the active model's package, or re-index the catalog with this one (ReindexCatalog)");
    }
}

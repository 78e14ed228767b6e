using MusicSearch.Core.Storage;
using MusicSearch.Indexing.Pipeline;

namespace MusicSearch.Api.Operations;

/// <summary>A collection of the store: one model's vectors, whether searches read it, and its tracks by status.</summary>
public sealed record CollectionSummary(string Name, string ModelVersion, int Dimensions, bool Active, StatusCounts Counts);

/// <summary>The model this Api embeds with, the model of the active collection, and every collection.</summary>
public sealed record ModelsSnapshot(string Version, string Architecture, int Dimensions, int SampleRate, double WindowSeconds, string? ActiveModelVersion,
    IReadOnlyList<CollectionSummary> Collections);

/// <summary>Which models exist where: the loaded package and the store's collections (a re-index shows as a second, inactive one).</summary>
public sealed class ModelCatalog(EmbeddingModel model, ITrackCollections collections)
{
    public async Task<ModelsSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        var active = await collections.GetActiveAsync(cancellationToken).ConfigureAwait(false);
        var summaries = new List<CollectionSummary>();
        foreach (var info in await collections.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            var store = await collections.OpenAsync(info.ModelVersion, info.Dimensions, cancellationToken).ConfigureAwait(false);
            summaries.Add(new CollectionSummary(info.Name, info.ModelVersion, info.Dimensions, info.Name == active?.Info.Name,
                await store.CountAsync(cancellationToken).ConfigureAwait(false)));
        }
        var manifest = model.Manifest;
        return new ModelsSnapshot(manifest.Version, manifest.Architecture.Name, model.Embedder.Dimensions, manifest.SampleRate, manifest.Embedding.WindowSeconds,
            active?.Info.ModelVersion, summaries);
    }
}

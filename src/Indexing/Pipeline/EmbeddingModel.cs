using Microsoft.Extensions.Options;
using MusicSearch.Inference.Backends.Cpu;
using MusicSearch.Inference.Embedding;
using MusicSearch.Inference.Models;
using MusicSearch.Inference.Packages;

namespace MusicSearch.Indexing.Pipeline;

/// <summary>The worker's loaded model package and the embedder that batches windows across the tracks being indexed.</summary>
public sealed class EmbeddingModel : IDisposable
{
    private readonly IAudioEncoder _encoder;

    public EmbeddingModel(IOptions<PipelineOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.Package))
        {
            throw new ArgumentException("Indexer:Package (Model:Package in the Api) must name the model package folder to embed with");
        }
        _encoder = EncoderFactory.Load(settings.Package, new CpuBackend(settings.Threads));
        Embedder = new AudioEmbedder(_encoder, settings.EmbedBatch);
    }

    public AudioEmbedder Embedder { get; }

    /// <summary>What the loaded package says about itself: architecture, version, sample rate, embedding defaults.</summary>
    public ModelManifest Manifest => _encoder.Manifest;

    public void Dispose()
    {
        Embedder.Dispose();
        _encoder.Dispose();
    }
}

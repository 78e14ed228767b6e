using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Layers.Waveform;
using MusicSearch.Inference.Packages;
using MusicSearch.Inference.Tensors;

namespace MusicSearch.Inference.Models.Waveform;

/// <summary>
/// MERT-v1 (MODEL_SPEC §3) and music2vec-v1 (§4), any depth and width: per-clip waveform normalisation → conv
/// feature encoder → feature projection → convolutional positional embedding → post-LN or pre-LN transformer.
/// The families differ only in the feature encoder's norms (chosen by <c>feat_extract_norm</c>) and the
/// positional embedding (chosen by the architecture); everything else is one code path.
/// <para>
/// Every weight is prepared once here, on <see cref="Backend"/>, which the encoder owns from then on and
/// disposes with itself; the package may be disposed as soon as the constructor returns. Intermediates handed
/// to the observer: <c>wav_normalized</c> [B, N], <c>conv.{j}</c> [B, C_j, T_j], <c>features</c> [B, C, T],
/// <c>projection</c> [B, T, H] (before the positional embedding) and <c>hidden.{k}</c> [B, T, H], the names
/// of <c>musicsearch_training.golden</c>.
/// </para>
/// </summary>
public sealed class WaveformTransformerEncoder : IAudioEncoder
{
    // The variance floor of HF's Wav2Vec2FeatureExtractor (do_normalize, MODEL_SPEC §3.3).
    private const float PerClipEpsilon = 1e-7f;

    private readonly FeatureEncoder _featureEncoder;
    private readonly FeatureProjection _projection;
    private readonly TransformerEncoder _encoder;
    private readonly bool _normalizePerClip;

    public WaveformTransformerEncoder(ModelPackage package, IComputeBackend backend)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(backend);
        var manifest = package.Manifest;
        if (manifest.Config is not WaveformTransformerConfig config)
        {
            throw new ArgumentException($"Architecture '{manifest.Architecture.Name}' is not a waveform transformer (mert, music2vec).", nameof(package));
        }
        _normalizePerClip = manifest.Normalization.Type switch
        {
            NormalizationType.PerClip => true,
            NormalizationType.None => false,
            _ => throw new ArgumentException(
                $"{package.Directory}: a waveform model takes normalization 'per_clip' or 'none', not '{manifest.Normalization.Type}'.", nameof(package)),
        };
        var weights = package.Weights;
        IPositionalEmbedding positional = manifest.Architecture switch
        {
            MertArchitecture => WeightNormPositionalConvolution.Load(backend, weights, config),
            Music2VecArchitecture => StackedPositionalConvolution.Load(backend, weights, config),
            _ => throw new ArgumentException($"Architecture '{manifest.Architecture.Name}' has no positional embedding known to this encoder.", nameof(package)),
        };
        _featureEncoder = FeatureEncoder.Load(backend, weights, config);
        _projection = FeatureProjection.Load(backend, weights, config.LayerNormEps);
        _encoder = TransformerEncoder.Load(backend, weights, config, positional);
        Manifest = manifest;
        Backend = backend;
        HiddenSize = config.HiddenSize;
        HiddenStateCount = config.NumHiddenLayers + 1;
    }

    public ModelManifest Manifest { get; }

    public IComputeBackend Backend { get; }

    public int HiddenSize { get; }

    public int HiddenStateCount { get; }

    /// <summary>The feature encoder's receptive field: 400 samples for the standard 7-layer stack.</summary>
    public int MinimumSamples => _featureEncoder.ReceptiveField;

    /// <summary>L ← ⌊(L − k)/s⌋ + 1 over the conv layers; 0 below <see cref="MinimumSamples"/>.</summary>
    public int FrameCount(int samples) => _featureEncoder.OutputLength(samples);

    /// <inheritdoc/>
    /// <remarks>
    /// The samples are not checked for NaN/∞ here (that would cost a download from a GPU): whoever uploads them
    /// checks them on the host with <see cref="Frontends.WaveformChecks.EnsureFinite"/>.
    /// </remarks>
    /// <exception cref="ArgumentException">Not [B, N], or clips shorter than <see cref="MinimumSamples"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lastHiddenState"/> outside [0, <see cref="HiddenStateCount"/> − 1].</exception>
    public void Forward(Tensor waveforms, int lastHiddenState, Workspace workspace, IntermediateObserver observe)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(observe);
        if (waveforms.Shape.Rank != 2)
        {
            throw new ArgumentException($"The waveforms must be [B, N], found {waveforms.Shape}.", nameof(waveforms));
        }
        var (batch, samples) = (waveforms.Shape[0], waveforms.Shape[1]);
        if (samples < MinimumSamples)
        {
            throw new ArgumentException(
                $"Each clip has {samples} samples; {Manifest.Architecture.Name} needs at least {MinimumSamples} " +
                $"({(double)MinimumSamples / Manifest.SampleRate:0.###} s, the receptive field of its feature encoder) for one frame.",
                nameof(waveforms));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(lastHiddenState);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(lastHiddenState, HiddenStateCount);

        using var scope = workspace.BeginScope();
        var hidden = workspace.Allocate(batch, FrameCount(samples), HiddenSize);
        using (workspace.BeginScope())
        {
            var input = waveforms;
            if (_normalizePerClip)
            {
                // Per row: (x − mean)/√(var + 1e-7) with the population variance, statistics in double as the reference's float64.
                input = workspace.Allocate(waveforms.Shape);
                Backend.LayerNorm(waveforms, null, null, PerClipEpsilon, input);
            }
            observe("wav_normalized", input);
            var features = _featureEncoder.Forward(input, workspace, observe);
            observe("features", features);
            _projection.Forward(features, hidden, workspace);
        }
        observe("projection", hidden);
        _encoder.Forward(hidden, lastHiddenState, workspace, observe);
    }

    public void Dispose() => Backend.Dispose();
}

using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Frontends;
using MusicSearch.Inference.Layers.Conformer;
using MusicSearch.Inference.Packages;
using MusicSearch.Inference.Tensors;

namespace MusicSearch.Inference.Models.MusicFm;

/// <summary>
/// MusicFM (MODEL_SPEC §1–2), any depth and width: (optionally level-normalised waveform →) mel frontend with
/// global normalisation → two Res2d blocks →
/// channel-major flatten → <c>conv.linear</c> → rotary Conformer layers → encoder LayerNorm after the last layer.
/// <para>
/// Every weight is prepared once here, on <see cref="Backend"/>, which the encoder owns from then on and
/// disposes with itself; the package may be disposed as soon as the constructor returns. BatchNorms are folded
/// into the Res2d and depthwise convolutions, the mel tables are built, and the rotary tables cover the
/// package's embedding window (they grow if a longer clip comes). Intermediates handed to the observer, with
/// the names of <c>musicsearch_training.golden</c>: <c>wav_normalized</c> (level-normalised packages only), <c>mel</c> [B, n_mels, frames] (dB, before normalisation),
/// <c>mel_normalized</c>, <c>conv</c> [B, T, H] (= <c>hidden.0</c>) and <c>hidden.{k}</c> [B, T, H].
/// </para>
/// </summary>
public sealed class MusicFmEncoder : IAudioEncoder
{
    private readonly MelSpectrogramFrontend _frontend;
    private readonly PreparedConv1d _denormalize;
    private readonly ConvSubsampling _subsampling;
    private readonly ConformerEncoder _encoder;

    public MusicFmEncoder(ModelPackage package, IComputeBackend backend)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(backend);
        var manifest = package.Manifest;
        if (manifest.Config is not MusicFmConfig config || manifest.Mel is not { } mel)
        {
            throw new ArgumentException($"{package.Directory}: architecture '{manifest.Architecture.Name}' is not musicfm.", nameof(package));
        }
        if (manifest.Normalization.Type == NormalizationType.PerClip)
        {
            throw new ArgumentException($"{package.Directory}: musicfm takes normalization 'global' or 'none', not 'per_clip'.", nameof(package));
        }
        Manifest = manifest;
        Backend = backend;
        HiddenSize = config.HiddenSize;
        HiddenStateCount = config.NumHiddenLayers + 1;

        _frontend = MelSpectrogramFrontend.FromManifest(backend, manifest);
        _denormalize = PrepareDenormalization(backend, mel.NMels, manifest.Normalization);
        var weights = package.Weights;
        _subsampling = ConvSubsampling.Load(backend, weights, config);
        var sizes = new ConformerSizes(config.HiddenSize, config.NumAttentionHeads, config.ConvDepthwiseKernelSize, config.LayerNormEps,
            config.RotaryEmbeddingBase);
        var window = (int)Math.Round(manifest.Embedding.WindowSeconds * manifest.SampleRate);
        _encoder = ConformerEncoder.Load(backend, weights, "conformer", sizes, config.NumHiddenLayers, Math.Max(1, FrameCount(window)));
        MinimumSamples = ComputeMinimumSamples(mel);
    }

    public ModelManifest Manifest { get; }

    public IComputeBackend Backend { get; }

    public int HiddenSize { get; }

    public int HiddenStateCount { get; }

    /// <summary>
    /// The shortest clip that gives one frame: one mel frame after the last is dropped (⌊N/hop⌋ ≥ 1) and, with
    /// centred reflect padding, more than n_fft/2 samples (what torch's reflect pad and frontend.py require).
    /// </summary>
    public int MinimumSamples { get; }

    /// <summary>⌈⌈mel frames/2⌉/2⌉ (⌈⌈⌊N/hop⌋/2⌉/2⌉ for MusicFM's frontend); 0 below <see cref="MinimumSamples"/>.</summary>
    public int FrameCount(int samples)
    {
        var frames = _frontend.FrameCount(samples);
        return frames < 1 ? 0 : _subsampling.OutputLength(frames);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The samples are not checked for NaN/∞ here (that would cost a download from a GPU): whoever uploads them
    /// checks them on the host with <see cref="WaveformChecks.EnsureFinite"/>.
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
            var mel = _frontend.Parameters;
            throw new ArgumentException(
                $"Each clip has {samples} samples; musicfm needs at least {MinimumSamples} " +
                $"({(double)MinimumSamples / Manifest.SampleRate:0.####} s: one hop of {mel.HopLength} for a mel frame, " +
                $"more than n_fft/2 = {mel.NFft / 2} for the reflect padding).",
                nameof(waveforms));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(lastHiddenState);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(lastHiddenState, HiddenStateCount);

        using var scope = workspace.BeginScope();
        var input = waveforms;
        if (Manifest.Normalization.LevelEpsilon is { } epsilon)
        {
            // Per row (x − mean)/√(var + ε), population variance with statistics in double, as the reference's float64.
            input = workspace.Allocate(waveforms.Shape);
            Backend.LayerNorm(waveforms, null, null, (float)epsilon, input);
            observe("wav_normalized", input);
        }
        var normalized = _frontend.Forward(input, workspace);
        using (workspace.BeginScope())
        {
            var decibels = workspace.Allocate(normalized.Shape);
            Backend.Conv1d(normalized, _denormalize, decibels);
            observe("mel", decibels);
        }
        observe("mel_normalized", normalized);
        var hidden = workspace.Allocate(batch, FrameCount(samples), HiddenSize);
        _subsampling.Forward(normalized, hidden, workspace);
        observe("conv", hidden);
        _encoder.Forward(hidden, lastHiddenState, workspace, observe);
    }

    public void Dispose() => Backend.Dispose();

    /// <summary>
    /// x·std + mean per mel band, as a depthwise k=1 convolution: gives observers the dB mel back from the
    /// normalised one the frontend computes in one pass (to within an ulp of the dB value).
    /// </summary>
    private static PreparedConv1d PrepareDenormalization(IComputeBackend backend, int bands, Normalization normalization)
    {
        var (mean, std) = normalization.Type == NormalizationType.Global ? ((float)normalization.Mean, (float)normalization.Std) : (0f, 1f);
        var scale = new float[bands];
        var shift = new float[bands];
        Array.Fill(scale, std);
        Array.Fill(shift, mean);
        return backend.PrepareConv1d(scale, shift, new Conv1dGeometry(bands, bands, 1, Groups: bands));
    }

    private static int ComputeMinimumSamples(MelFrontend mel)
    {
        var dropped = mel.DropLastFrame ? 1 : 0;
        // Centred: ⌊N/hop⌋ + 1 − dropped frames; otherwise ⌊(N − n_fft)/hop⌋ + 1 − dropped.
        var forOneFrame = mel.Center ? dropped * mel.HopLength : mel.NFft + dropped * mel.HopLength;
        var forPadding = mel.Center && mel.PadMode == "reflect" ? mel.NFft / 2 + 1 : 1;
        return Math.Max(1, Math.Max(forOneFrame, forPadding));
    }
}

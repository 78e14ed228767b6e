using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Frontends;
using MusicSearch.Inference.Packages;
using MusicSearch.Inference.Tensors;

namespace MusicSearch.Inference.Models.Classical;

/// <summary>
/// The classical-features baseline as an encoder (<see cref="ClassicalArchitecture"/>): one hidden state,
/// <c>hidden.0</c> [B, 1, D], the standardised statistics of the whole clip, so the embedder's mean over time
/// passes it through and its L2 normalisation finishes the vector.
/// <para>
/// On the backend: the power spectrum and the dB mel (<see cref="MelSpectrogramFrontend"/>), both transposed to
/// frame-major, and the MFCCs as a GEMM with the orthonormal DCT-II matrix. On the host, after one download per
/// pass: the contrast, centroid and flatness of each frame (<see cref="SpectralDescriptors"/>), the mean and
/// standard deviation of every feature (<see cref="ClassicalFeatureLayout"/>), and (x − mean)/std with the package's
/// standardisation statistics. Host buffers grow to the largest batch seen and are reused. Intermediates handed to
/// the observer: <c>mel</c> [B, n_mels, frames] (dB), <c>mfcc</c> [B, frames, n_mfcc], <c>hidden.0</c>.
/// </para>
/// </summary>
public sealed class ClassicalEncoder : IAudioEncoder
{
    private readonly ClassicalConfig _config;
    private readonly MelSpectrogramFrontend _frontend;
    private readonly PreparedLinear _dct;
    private readonly SpectralDescriptors _descriptors;
    private readonly float[] _mean;
    private readonly float[] _std;
    private float[] _melHost = [];
    private float[] _mfccHost = [];
    private float[] _spectrumHost = [];
    private double[] _descriptorHost = [];
    private readonly double[] _statMean;
    private readonly double[] _statStd;
    private float[] _output = [];

    /// <exception cref="ModelPackageException">Normalisation other than 'none', a contrast band without bins, or standardisation statistics that are not finite with std &gt; 0.</exception>
    public ClassicalEncoder(ModelPackage package, IComputeBackend backend)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(backend);
        var manifest = package.Manifest;
        if (manifest.Config is not ClassicalConfig config || manifest.Mel is not { } mel)
        {
            throw new ArgumentException($"{package.Directory}: architecture '{manifest.Architecture.Name}' is not classical.", nameof(package));
        }
        if (manifest.Normalization.Type != NormalizationType.None)
        {
            throw new ModelPackageException($"{package.Directory}: classical packages take normalization 'none'; their features are standardised by {ClassicalArchitecture.MeanTensor}/{ClassicalArchitecture.StdTensor}.");
        }
        _config = config;
        Manifest = manifest;
        Backend = backend;
        HiddenSize = config.HiddenSize;
        _frontend = MelSpectrogramFrontend.FromManifest(backend, manifest);
        _dct = backend.PrepareLinear(DctMatrix(config.Mfcc, config.MelBands), default, config.Mfcc, config.MelBands);
        try
        {
            _descriptors = new SpectralDescriptors(mel.NFft, manifest.SampleRate, mel.FMax, mel.Power, config, mel.DbFloor);
        }
        catch (ArgumentException error)
        {
            throw new ModelPackageException($"{package.Directory}: {error.Message}.", error);
        }
        _mean = package.Weights.ReadAsFloat32(ClassicalArchitecture.MeanTensor);
        _std = package.Weights.ReadAsFloat32(ClassicalArchitecture.StdTensor);
        for (var i = 0; i < _mean.Length; i++)
        {
            if (!float.IsFinite(_mean[i]) || !(_std[i] > 0) || !float.IsFinite(_std[i]))
            {
                throw new ModelPackageException(
                    $"{package.Weights.Path}: dimension {i} has mean {_mean[i]} and std {_std[i]}; standardisation needs finite values and std > 0.");
            }
        }
        _statMean = new double[config.FrameFeatures];
        _statStd = new double[config.FrameFeatures];
        MinimumSamples = mel.Center && mel.PadMode == "reflect" ? mel.NFft / 2 + 1 : mel.NFft;
    }

    public ModelManifest Manifest { get; }

    public IComputeBackend Backend { get; }

    public int HiddenSize { get; }

    public int HiddenStateCount => 1;

    /// <summary>One STFT frame (and, with centred reflect padding, more than n_fft/2 samples).</summary>
    public int MinimumSamples { get; }

    /// <summary>1: the statistics of the whole clip are one time step.</summary>
    public int FrameCount(int samples) => samples >= MinimumSamples ? 1 : 0;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">Not [B, N], or clips shorter than <see cref="MinimumSamples"/>.</exception>
    public void Forward(Tensor waveforms, int lastHiddenState, Workspace workspace, IntermediateObserver observe)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(observe);
        if (waveforms.Shape.Rank != 2)
        {
            throw new ArgumentException($"The waveforms must be [B, N], found {waveforms.Shape}.", nameof(waveforms));
        }
        if (waveforms.Shape[1] < MinimumSamples)
        {
            throw new ArgumentException($"Each clip has {waveforms.Shape[1]} samples; classical features need at least {MinimumSamples}.", nameof(waveforms));
        }
        ArgumentOutOfRangeException.ThrowIfNotEqual(lastHiddenState, 0);

        var batch = waveforms.Shape[0];
        using var scope = workspace.BeginScope();
        var power = _frontend.PowerSpectrogram(waveforms, workspace);
        var (bins, frames) = (power.Shape[1], power.Shape[2]);
        var mel = workspace.Allocate(batch, _config.MelBands, frames);
        _frontend.MelFromPower(power, mel);
        observe("mel", mel);
        var melByFrame = workspace.Allocate(batch, frames, _config.MelBands);
        Backend.Transpose(mel, melByFrame);
        var mfcc = workspace.Allocate(batch, frames, _config.Mfcc);
        Backend.Linear(melByFrame, _dct, mfcc);
        observe("mfcc", mfcc);
        var spectrumByFrame = workspace.Allocate(batch, frames, bins);
        Backend.Transpose(power, spectrumByFrame);

        Download(melByFrame, ref _melHost);
        Download(mfcc, ref _mfccHost);
        Download(spectrumByFrame, ref _spectrumHost);
        Grow(ref _output, batch * HiddenSize);
        Grow(ref _descriptorHost, frames * _descriptors.Count);
        for (var b = 0; b < batch; b++)
        {
            Summarise(b, frames, bins, _output.AsSpan(b * HiddenSize, HiddenSize));
        }
        var hidden = workspace.Allocate(batch, 1, HiddenSize);
        Backend.Upload(_output.AsSpan(0, batch * HiddenSize), hidden);
        observe("hidden.0", hidden);
    }

    public void Dispose() => Backend.Dispose();

    /// <summary>
    /// The orthonormal DCT-II as a [count, bands] matrix: row k is s_k·cos(π/N·(n + ½)·k) over the bands n, with
    /// s_0 = √(1/N) and s_k = √(2/N) (the MFCC convention of librosa and torchaudio, norm "ortho").
    /// </summary>
    internal static float[] DctMatrix(int count, int bands)
    {
        var matrix = new float[count * bands];
        for (var k = 0; k < count; k++)
        {
            var scale = Math.Sqrt((k == 0 ? 1.0 : 2.0) / bands);
            for (var n = 0; n < bands; n++)
            {
                matrix[k * bands + n] = (float)(scale * Math.Cos(Math.PI / bands * (n + 0.5) * k));
            }
        }
        return matrix;
    }

    /// <summary>Statistics of clip <paramref name="clip"/> into <paramref name="vector"/>, standardised.</summary>
    private void Summarise(int clip, int frames, int bins, Span<float> vector)
    {
        var features = _config.FrameFeatures;
        var (mel, mfcc, count) = (_config.MelBands, _config.Mfcc, _descriptors.Count);
        FrameStatistics.MeanAndStd<float>(_melHost.AsSpan(clip * frames * mel, frames * mel), mel, _statMean, _statStd);
        FrameStatistics.MeanAndStd<float>(_mfccHost.AsSpan(clip * frames * mfcc, frames * mfcc), mfcc, _statMean.AsSpan(mel), _statStd.AsSpan(mel));
        var spectra = _spectrumHost.AsSpan(clip * frames * bins, frames * bins);
        for (var f = 0; f < frames; f++)
        {
            _descriptors.Compute(spectra.Slice(f * bins, bins), _descriptorHost.AsSpan(f * count, count));
        }
        FrameStatistics.MeanAndStd<double>(_descriptorHost.AsSpan(0, frames * count), count, _statMean.AsSpan(mel + mfcc), _statStd.AsSpan(mel + mfcc));

        for (var i = 0; i < features; i++)
        {
            vector[i] = (float)((_statMean[i] - _mean[i]) / _std[i]);
            vector[features + i] = (float)((_statStd[i] - _mean[features + i]) / _std[features + i]);
        }
    }

    private void Download(Tensor tensor, ref float[] host)
    {
        Grow(ref host, checked((int)tensor.ElementCount));
        Backend.Download(tensor, host.AsSpan(0, (int)tensor.ElementCount));
    }

    private static void Grow<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new T[length];
        }
    }
}

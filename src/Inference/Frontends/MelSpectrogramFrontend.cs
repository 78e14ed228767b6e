using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Packages;
using MusicSearch.Inference.Tensors;

namespace MusicSearch.Inference.Frontends;

/// <summary>
/// MusicFM's mel frontend (MODEL_SPEC §1.2; reference: <c>musicsearch_training.frontend.MelFrontend</c>) on
/// any backend: waveforms [B, N] → normalised dB mel [B, n_mels, frames], the layout the first Res2d conv
/// reads as [B, 1, n_mels, frames].
/// <para>
/// Three ops: the power spectrogram [B, bins, frames] (<see cref="IComputeBackend.StftPower"/>: reflect-padded
/// frames, window, one-sided DFT, |X|^power; the CPU backend runs FFTs where the Python reference multiplies by a
/// windowed DFT basis), the filterbank as a pointwise convolution over the bins, which leaves the mel in the
/// [B, n_mels, frames] layout the model reads, then 10·log10(max(x, floor)) and (x − mean)/std in place. The
/// last centred frame is not computed at all when the manifest drops it. The window and the filterbank are built
/// once, at construction, in the reference's fp32 arithmetic (<see cref="MelTables"/>).
/// </para>
/// </summary>
public sealed class MelSpectrogramFrontend
{
    private readonly IComputeBackend _backend;
    private readonly PreparedStft _stft;
    private readonly PreparedConv1d _filterbank;
    private readonly float _mean;
    private readonly float _std;

    public MelSpectrogramFrontend(IComputeBackend backend, MelFrontend parameters, int sampleRate, Normalization normalization)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(normalization);
        if (parameters.NFft < 2 || parameters.WinLength < 1 || parameters.WinLength > parameters.NFft || parameters.HopLength < 1 || parameters.NMels < 1)
        {
            throw new ArgumentException($"Invalid mel frontend sizes: {parameters}.", nameof(parameters));
        }
        if (parameters.MelScale is not ("htk" or "slaney") || parameters.PadMode is not ("reflect" or "constant"))
        {
            throw new ArgumentException($"Unknown mel scale '{parameters.MelScale}' or pad mode '{parameters.PadMode}'.", nameof(parameters));
        }
        (_mean, _std) = normalization.Type switch
        {
            NormalizationType.Global => ((float)normalization.Mean, (float)normalization.Std),
            NormalizationType.None => (0f, 1f),
            _ => throw new ArgumentException(
                "Per-clip waveform normalisation belongs to the waveform frontend; a mel frontend takes 'global' or 'none'.", nameof(normalization)),
        };
        _backend = backend;
        Parameters = parameters;
        SampleRate = sampleRate;

        var bins = Bins;
        var window = new float[parameters.NFft];
        MelTables.HannWindow(parameters.WinLength).CopyTo(window, (parameters.NFft - parameters.WinLength) / 2);
        _stft = backend.PrepareStft(window, new StftGeometry(parameters.NFft, parameters.HopLength, parameters.Center ? parameters.NFft / 2 : 0,
            parameters.PadMode == "reflect" ? PaddingMode.Reflect : PaddingMode.Zeros));
        // The filterbank is [bins, n_mels]; as the pointwise convolution from bins to mel channels it is needed [n_mels, bins].
        var filterbank = MelTables.Filterbank(bins, parameters.FMin, parameters.FMax, parameters.NMels, sampleRate, parameters.MelScale);
        var transposed = new float[filterbank.Length];
        for (var f = 0; f < bins; f++)
        {
            for (var m = 0; m < parameters.NMels; m++)
            {
                transposed[m * bins + f] = filterbank[f * parameters.NMels + m];
            }
        }
        _filterbank = backend.PrepareConv1d(transposed, default, new Conv1dGeometry(bins, parameters.NMels, 1));
    }

    /// <summary>The frontend a package describes; its normalisation applies to the mel output.</summary>
    public static MelSpectrogramFrontend FromManifest(IComputeBackend backend, ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var mel = manifest.Mel ?? throw new ArgumentException(
            $"Architecture '{manifest.Architecture.Name}' has a waveform frontend, not a mel one.", nameof(manifest));
        return new MelSpectrogramFrontend(backend, mel, manifest.SampleRate, manifest.Normalization);
    }

    public MelFrontend Parameters { get; }

    public int SampleRate { get; }

    /// <summary>One-sided FFT bins, n_fft/2 + 1.</summary>
    public int Bins => Parameters.NFft / 2 + 1;

    /// <summary>
    /// Output frames for clips of <paramref name="samples"/> samples: ⌊N/hop⌋ + 1 when centred, one fewer when
    /// the last frame is dropped.
    /// </summary>
    public int FrameCount(int samples)
    {
        var p = Parameters;
        var frames = p.Center ? samples / p.HopLength + 1 : (samples - p.NFft) / p.HopLength + 1;
        return p.DropLastFrame ? frames - 1 : frames;
    }

    /// <summary>
    /// Mel of <paramref name="batch"/> equal-length clips laid end to end in <paramref name="waveforms"/> (host
    /// samples, checked for NaN/∞ and uploaded here), as a [batch, n_mels, frames] tensor allocated from
    /// <paramref name="workspace"/>; the temporaries are freed before returning.
    /// </summary>
    /// <exception cref="ArgumentException">Empty input, clips too short for the padding or for one frame, or a NaN/∞ sample.</exception>
    public Tensor Forward(ReadOnlySpan<float> waveforms, int batch, Workspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        if (waveforms.IsEmpty)
        {
            throw new ArgumentException("The waveform is empty; the mel frontend needs at least one frame of audio.", nameof(waveforms));
        }
        if (waveforms.Length % batch != 0)
        {
            throw new ArgumentException($"{waveforms.Length} samples do not split into {batch} clips of equal length.", nameof(waveforms));
        }
        var samples = waveforms.Length / batch;
        var frames = CheckLength(samples, nameof(waveforms));
        WaveformChecks.EnsureFinite(waveforms, samples);

        var output = workspace.Allocate(batch, Parameters.NMels, frames);
        using (workspace.BeginScope())
        {
            var signal = workspace.Allocate(batch, samples);
            _backend.Upload(waveforms, signal);
            Compute(signal, output, workspace);
        }
        return output;
    }

    /// <summary>
    /// Mel of waveforms already on the device, [B, N], as a [B, n_mels, frames] tensor allocated from
    /// <paramref name="workspace"/>. The samples must have been checked when they were uploaded
    /// (<see cref="WaveformChecks.EnsureFinite"/>): a NaN here would silently become a NaN mel.
    /// </summary>
    /// <exception cref="ArgumentException">Not [B, N], or clips too short for the padding or for one frame.</exception>
    public Tensor Forward(Tensor waveforms, Workspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (waveforms.Shape.Rank != 2)
        {
            throw new ArgumentException($"The waveforms must be [B, N], found {waveforms.Shape}.", nameof(waveforms));
        }
        var frames = CheckLength(waveforms.Shape[1], nameof(waveforms));
        var output = workspace.Allocate(waveforms.Shape[0], Parameters.NMels, frames);
        using (workspace.BeginScope())
        {
            Compute(waveforms, output, workspace);
        }
        return output;
    }

    /// <summary>
    /// The short-time power spectrum |X|^power of waveforms already on the device, [B, N] → [B, n_fft/2 + 1, frames]
    /// (frequency-major, as the mel projection reads it), allocated from <paramref name="workspace"/>: for
    /// features computed from the spectrum itself (the classical baseline), next to <see cref="MelFromPower"/>.
    /// The samples must have been checked for NaN/∞ when they were uploaded.
    /// </summary>
    /// <exception cref="ArgumentException">Not [B, N], or clips too short for the padding or for one frame.</exception>
    public Tensor PowerSpectrogram(Tensor waveforms, Workspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (waveforms.Shape.Rank != 2)
        {
            throw new ArgumentException($"The waveforms must be [B, N], found {waveforms.Shape}.", nameof(waveforms));
        }
        var frames = CheckLength(waveforms.Shape[1], nameof(waveforms));
        var power = workspace.Allocate(waveforms.Shape[0], Bins, frames);
        _backend.StftPower(waveforms, _stft, (float)Parameters.Power, power);
        return power;
    }

    /// <summary>The mel in dB, normalised as the manifest says, of a power spectrum from <see cref="PowerSpectrogram"/>, into [B, n_mels, frames].</summary>
    public void MelFromPower(Tensor power, Tensor output)
    {
        _backend.Conv1d(power, _filterbank, output);
        _backend.PowerToDecibels(output, (float)Parameters.DbFloor, _mean, _std, output);
    }

    /// <summary>The frame count for clips of <paramref name="samples"/>, after checking they are long enough.</summary>
    private int CheckLength(int samples, string parameter)
    {
        var p = Parameters;
        if (p.Center && p.PadMode == "reflect" && samples <= p.NFft / 2)
        {
            throw new ArgumentException(
                $"Each clip has {samples} samples; reflect padding of the STFT needs more than n_fft/2 = {p.NFft / 2}.", parameter);
        }
        var frames = FrameCount(samples);
        if (frames < 1 || (!p.Center && samples < p.NFft))
        {
            throw new ArgumentException($"Each clip has {samples} samples, too few for one mel frame (n_fft {p.NFft}, hop {p.HopLength}).", parameter);
        }
        return frames;
    }

    /// <summary>signal [B, N] → output [B, n_mels, frames]; temporaries go to the caller's open scope.</summary>
    private void Compute(Tensor signal, Tensor output, Workspace workspace)
    {
        var power = workspace.Allocate(output.Shape[0], Bins, output.Shape[2]);
        _backend.StftPower(signal, _stft, (float)Parameters.Power, power);
        MelFromPower(power, output);
    }
}

using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Packages;
using MusicSearch.Inference.Tensors;

namespace MusicSearch.Inference.Models;

/// <summary>
/// Sees a named intermediate of a forward pass: <c>mel</c>, <c>conv</c>, <c>hidden.{k}</c>, … — the names of
/// the golden fixtures <c>musicsearch_training.golden</c> writes. The tensor lives in the pass's workspace
/// and is valid only during the call: pool it, download it or copy it, never keep it.
/// </summary>
public delegate void IntermediateObserver(string name, Tensor value);

/// <summary>
/// A loaded model (MusicFM, MERT, music2vec): frontend and encoder with weights prepared once on one backend.
/// The embedding pipeline and the tests see every architecture through this interface.
/// </summary>
public interface IAudioEncoder : IDisposable
{
    ModelManifest Manifest { get; }

    /// <summary>The backend that owns the prepared weights; forward passes run on it.</summary>
    IComputeBackend Backend { get; }

    int HiddenSize { get; }

    /// <summary>Number of hidden states: the frontend's output (index 0) plus one per encoder layer.</summary>
    int HiddenStateCount { get; }

    /// <summary>The shortest clip, in samples, the encoder can take (one output frame).</summary>
    int MinimumSamples { get; }

    /// <summary>Frames (time steps of every hidden state) produced for a clip of <paramref name="samples"/> samples.</summary>
    int FrameCount(int samples);

    /// <summary>
    /// Runs a batch of equal-length clips <paramref name="waveforms"/> [B, N] (raw samples at the package's
    /// sample rate; normalisation is the encoder's job) up to hidden state <paramref name="lastHiddenState"/>,
    /// handing every intermediate to <paramref name="observe"/>. Layers past the last requested one are not run.
    /// Not thread-safe: callers serialise forward passes on one encoder (the backend parallelises inside ops).
    /// </summary>
    void Forward(Tensor waveforms, int lastHiddenState, Workspace workspace, IntermediateObserver observe);
}

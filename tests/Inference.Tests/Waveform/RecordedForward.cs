using MusicSearch.Inference.Models;
using MusicSearch.Inference.Tensors;

namespace MusicSearch.Inference.Tests.Waveform;

/// <summary>A downloaded intermediate of a forward pass.</summary>
public sealed record RecordedTensor(TensorShape Shape, float[] Values);

/// <summary>Runs an encoder on host samples and keeps a host copy of everything it hands to its observer.</summary>
public static class RecordedForward
{
    /// <summary>Name under which <see cref="Run"/> records the mean over time of hidden state <c>poolLayer</c>.</summary>
    public const string Embedding = "embedding";

    /// <param name="encoder">The encoder.</param>
    /// <param name="samples"><paramref name="batch"/> equal-length clips laid end to end.</param>
    /// <param name="batch">Number of clips.</param>
    /// <param name="lastHiddenState">The last hidden state to compute.</param>
    /// <param name="poolLayer">A hidden state to mean-pool on the device as the embedder does, or −1.</param>
    public static Dictionary<string, RecordedTensor> Run(IAudioEncoder encoder, float[] samples, int batch, int lastHiddenState, int poolLayer = -1)
    {
        var backend = encoder.Backend;
        using var workspace = backend.CreateWorkspace();
        var waveforms = workspace.Allocate(batch, samples.Length / batch);
        backend.Upload(samples, waveforms);
        var pooled = workspace.Allocate(batch, encoder.HiddenSize);
        var recorded = new Dictionary<string, RecordedTensor>();
        var poolName = $"hidden.{poolLayer}";
        encoder.Forward(waveforms, lastHiddenState, workspace, (name, value) =>
        {
            recorded.Add(name, Download(encoder, value));
            if (name == poolName)
            {
                backend.MeanOverTime(value, pooled);
            }
        });
        if (poolLayer >= 0)
        {
            recorded.Add(Embedding, Download(encoder, pooled));
        }
        return recorded;
    }

    private static RecordedTensor Download(IAudioEncoder encoder, Tensor value)
    {
        var values = new float[value.ElementCount];
        encoder.Backend.Download(value, values);
        return new RecordedTensor(value.Shape, values);
    }
}

namespace MusicSearch.Inference.Embedding;

/// <summary>
/// One window waiting for a forward pass: a slice of the caller's samples (not a copy) and the hidden states it
/// wants pooled. Completed by <see cref="ForwardQueue"/> with the means, indexed by hidden state (only the wanted
/// entries are set).
/// </summary>
internal sealed class WindowRequest(ReadOnlyMemory<float> samples, int layer, bool allLayers, int hiddenStates, CancellationToken cancellation)
{
    private readonly float[]?[] _means = new float[hiddenStates][];
    private readonly TaskCompletionSource<float[]?[]> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ReadOnlyMemory<float> Samples { get; } = samples;

    /// <summary>The deepest hidden state the forward pass must reach for this window.</summary>
    public int LastHiddenState { get; } = allLayers ? hiddenStates - 1 : layer;

    public CancellationToken Cancellation { get; } = cancellation;

    public Task<float[]?[]> Completion => _completion.Task;

    public bool Wants(int hiddenState) => allLayers ? hiddenState < hiddenStates : hiddenState == layer;

    public void Store(int hiddenState, ReadOnlySpan<float> mean) => _means[hiddenState] = mean.ToArray();

    public void Complete() => _completion.TrySetResult(_means);

    public void Fail(Exception error) => _completion.TrySetException(error);

    public void Cancel() => _completion.TrySetCanceled(Cancellation);
}

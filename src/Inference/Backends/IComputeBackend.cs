using MusicSearch.Inference.Tensors;

namespace MusicSearch.Inference.Backends;

/// <summary>
/// One compute device (CPU, later CUDA) behind the ops that MusicFM, MERT and music2vec are made of. Layers
/// are written once against this interface; a backend brings one kernel per op.
/// <para>
/// <b>Tensors.</b> Every tensor is fp32, row-major and contiguous (<see cref="Tensor"/>). Shapes are given as
/// in PyTorch: activations of the transformer are [B, T, C] (features last), convolution activations are
/// [B, C, T] and [B, C, H, W]. An op checks every shape and throws <see cref="ArgumentException"/> naming the
/// mismatch; it never broadcasts implicitly.
/// </para>
/// <para>
/// <b>Memory.</b> Weights are uploaded and prepared once at load (<see cref="Upload(ReadOnlySpan{float}, TensorShape)"/>,
/// <c>Prepare*</c>); they belong to the backend and are freed when it is disposed, so a loaded model owns one
/// backend. Activations come from a <see cref="Workspace"/> (<see cref="CreateWorkspace"/>), reset per
/// forward pass. Temporary buffers an op needs (im2col columns, attention scores) come from scratch memory
/// the backend sizes on first use and then reuses; in steady state no op allocates.
/// </para>
/// <para>
/// <b>Aliasing.</b> Unless an op says otherwise, the output must not overlap any input. Element-wise ops
/// (<see cref="Activate"/>, <see cref="Add"/>, <see cref="LayerNorm"/>, <see cref="GroupNorm"/>,
/// <see cref="Softmax"/>, <see cref="Rotary"/>, <see cref="PowerToDecibels"/>) may run in place: output
/// equal to an input.
/// </para>
/// <para>
/// <b>Fused epilogue.</b> <see cref="Linear"/>, <see cref="Conv1d"/> and <see cref="Conv2d"/> compute
/// y = act(scale·(op(x) + bias) + residual): the Conformer's half-step FFN is
/// <c>Linear(h, ffn.Out, x, residual: x, scale: 0.5f)</c>, a Res2d block ends with
/// <c>Conv2d(m, conv2, y, Activation.Relu, residual: shortcut)</c>. The residual may be the output itself.
/// </para>
/// <para>
/// <b>Threads and ordering.</b> A backend, like a workspace, is used by one thread at a time; it brings its
/// own threads for the work inside an op. Ops take effect in call order. A device with a queue (CUDA) may
/// return before an op has run; <see cref="Download"/> waits for everything queued before it, and
/// <see cref="Upload(ReadOnlySpan{float}, Tensor)"/> has read the host values when it returns. Host code
/// therefore never needs an explicit synchronisation.
/// </para>
/// </summary>
public interface IComputeBackend : IDisposable
{
    /// <summary>Short device name, e.g. <c>cpu</c>; tensors report it as <see cref="Tensor.Device"/>.</summary>
    string DeviceName { get; }

    /// <summary>Copies host values into new backend-owned memory (a weight, a table); lives until the backend is disposed.</summary>
    Tensor Upload(ReadOnlySpan<float> values, TensorShape shape);

    /// <summary>Copies host values into an existing tensor, e.g. a batch of waveforms into a workspace tensor.</summary>
    void Upload(ReadOnlySpan<float> values, Tensor destination);

    /// <summary>Copies a tensor to the host; <paramref name="destination"/> must hold exactly its elements.</summary>
    void Download(Tensor source, Span<float> destination);

    /// <summary>A new activation arena on this device; disposed by the caller or with the backend.</summary>
    Workspace CreateWorkspace();

    /// <summary>
    /// Prepares y = x·Wᵀ + b from a checkpoint weight [outFeatures, inFeatures] (torch <c>nn.Linear</c> layout;
    /// a k=1 Conv1d weight [out, in, 1] is the same memory). <paramref name="bias"/> is empty or [outFeatures].
    /// </summary>
    PreparedLinear PrepareLinear(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int outFeatures, int inFeatures);

    /// <summary>
    /// Prepares a Conv1d from its torch weight [out, in/groups, k] (fold BatchNorm or weight norm first, see
    /// <see cref="WeightFolding"/>); <paramref name="bias"/> is empty or [out].
    /// </summary>
    PreparedConv1d PrepareConv1d(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Conv1dGeometry geometry);

    /// <summary>Prepares a Conv2d from its torch weight [out, in, kh, kw] (BatchNorm folded first); <paramref name="bias"/> is empty or [out].</summary>
    PreparedConv2d PrepareConv2d(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Conv2dGeometry geometry);

    /// <summary>
    /// output = act(scale·(input·Wᵀ + b) + residual). <paramref name="input"/> is [.., K] with any leading
    /// dimensions (M rows in all), <paramref name="output"/> the same leading dimensions and N last;
    /// <paramref name="residual"/>, if given, has the output's shape and may be the output itself.
    /// </summary>
    void Linear(Tensor input, PreparedLinear layer, Tensor output, Activation activation = Activation.None, Tensor? residual = null, float scale = 1f);

    /// <summary>
    /// output = act(conv(input) + b + residual) on <paramref name="input"/> [B, C_in, T] giving
    /// [B, C_out, <see cref="Conv1dGeometry.OutputLength"/>(T)]. Zero padding. Depthwise (groups = C_in =
    /// C_out), pointwise (k = 1) and grouped/strided shapes each get their own kernel.
    /// </summary>
    void Conv1d(Tensor input, PreparedConv1d layer, Tensor output, Activation activation = Activation.None, Tensor? residual = null);

    /// <summary>
    /// output = act(conv(input) + b + residual) on <paramref name="input"/> [B, C_in, H, W] giving
    /// [B, C_out, H', W']. Zero padding. A Res2d block with folded BatchNorms is
    /// <c>Conv2d(x, conv3, s)</c>, <c>Conv2d(x, conv1, m, Relu)</c>, <c>Conv2d(m, conv2, y, Relu, residual: s)</c>.
    /// </summary>
    void Conv2d(Tensor input, PreparedConv2d layer, Tensor output, Activation activation = Activation.None, Tensor? residual = null);

    /// <summary>
    /// Normalises each row of the last dimension: (x − mean)/√(var + ε)·γ + β with the biased variance, as
    /// <c>nn.LayerNorm</c>. <paramref name="gamma"/>/<paramref name="beta"/> are [C] or null (no affine).
    /// </summary>
    void LayerNorm(Tensor input, Tensor? gamma, Tensor? beta, float epsilon, Tensor output);

    /// <summary>
    /// LayerNorm over the channels of [B, C, T], per (batch, time step), with γ/β [C] or null: what HF's
    /// feature encoder does as transpose → LayerNorm → transpose (music2vec), without the transposes.
    /// </summary>
    void LayerNormOverChannels(Tensor input, Tensor? gamma, Tensor? beta, float epsilon, Tensor output);

    /// <summary>
    /// <c>nn.GroupNorm</c> on [B, C, ...]: statistics per (batch, group of C/groups channels) over the
    /// channels and all trailing dimensions, then γ/β [C] per channel (or null). groups = C normalises each
    /// channel over time (MERT feature encoder layer 0).
    /// </summary>
    void GroupNorm(Tensor input, int groups, Tensor? gamma, Tensor? beta, float epsilon, Tensor output);

    /// <summary>output = act(input), element-wise, any shape; may run in place.</summary>
    void Activate(Tensor input, Activation activation, Tensor output);

    /// <summary>
    /// Gated linear unit: splits <paramref name="axis"/> of <paramref name="input"/> in halves a, b and writes
    /// a·sigmoid(b), so the output has that axis halved. Axis 1 of [B, 2C, T] is torch's <c>glu(dim=1)</c>
    /// in the conv module; −1 does the same on [B, T, 2C].
    /// </summary>
    void Glu(Tensor input, int axis, Tensor output);

    /// <summary>output = input + scale·other, same shapes; may run in place on either input.</summary>
    void Add(Tensor input, Tensor other, Tensor output, float scale = 1f);

    /// <summary>
    /// Swaps the last two dimensions: [.., R, C] → [.., C, R]; [B, C, T] ↔ [B, T, C]. MusicFM's channel-major
    /// flatten [B, C, F, T] → [B, T, C·F] (feature c·F + f) is this op on the view [B, C·F, T].
    /// </summary>
    void Transpose(Tensor input, Tensor output);

    /// <summary>Mean over the time axis of [B, T, C] into [B, C] (mean pooling of an embedding window).</summary>
    void MeanOverTime(Tensor input, Tensor output);

    /// <summary>Softmax over the last dimension, max-subtracted so large logits do not overflow; may run in place.</summary>
    void Softmax(Tensor input, Tensor output);

    /// <summary>
    /// Rotary embedding as the Wav2Vec2-Conformer applies it (MODEL_SPEC §2.3): <paramref name="input"/>
    /// [B, T, H] is viewed as H/d chunks of d = <paramref name="cos"/>.Shape[1] per position t, and each chunk
    /// x becomes x⊙cos[t] + rot(x)⊙sin[t] with rot(x) = [−x[d/2:], x[:d/2]]. <paramref name="cos"/> and
    /// <paramref name="sin"/> are [P ≥ T, d] tables (<see cref="RotaryTables"/>), uploaded once. May run in place.
    /// </summary>
    void Rotary(Tensor input, Tensor cos, Tensor sin, Tensor output);

    /// <summary>
    /// Multi-head scaled dot-product attention without mask: <paramref name="query"/>,
    /// <paramref name="key"/>, <paramref name="value"/> and <paramref name="output"/> are [B, T, H] with
    /// <paramref name="heads"/> heads of d = H/heads contiguous features each, and per head
    /// output = softmax(Q·Kᵀ/√d)·V, heads merged back into [B, T, H].
    /// </summary>
    void Attention(Tensor query, Tensor key, Tensor value, int heads, Tensor output);

    /// <summary>
    /// Prepares <see cref="StftPower"/>: frames cut by <paramref name="geometry"/>, each multiplied by
    /// <paramref name="window"/> [NFft] (a window shorter than n_fft must be centred in zeros by the caller, as
    /// torch.stft pads it).
    /// </summary>
    PreparedStft PrepareStft(ReadOnlySpan<float> window, StftGeometry geometry);

    /// <summary>
    /// Short-time power spectrum, frequency-major as torch.stft lays it out: <paramref name="signal"/> [B, N],
    /// <paramref name="output"/> [B, NFft/2 + 1, F] with output[b, k, f] = |Σ_n w[n]·s_f[n]·e^(−2πi·kn/NFft)|^exponent,
    /// where frame s_f holds the padded samples f·hop … f·hop + NFft − 1 (<see cref="StftGeometry"/>). F is the
    /// output's; frames past the padded end, and reflect padding of more than N − 1 samples, are errors.
    /// </summary>
    void StftPower(Tensor signal, PreparedStft stft, float exponent, Tensor output);

    /// <summary>
    /// output = (10·log10(max(input, floor)) − mean)/std, element-wise (torchaudio AmplitudeToDB on power,
    /// no top_db, then global normalisation; mean 0, std 1 for plain dB). May run in place.
    /// </summary>
    void PowerToDecibels(Tensor input, float floor, float mean, float std, Tensor output);
}

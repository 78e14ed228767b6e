using MusicSearch.Inference.Frontends;
using MusicSearch.Inference.Models;

namespace MusicSearch.Inference.Embedding;

/// <summary>
/// Turns mono PCM at the package's sample rate into window vectors and a track vector (ARCHITECTURE.md §5):
/// windows of <c>embedding.window_seconds</c> every <c>hop_seconds</c>, the final partial window at its own
/// length when it lasts at least <c>min_window_seconds</c>, a track shorter than that as one window of its whole
/// length; per window the mean over time of one hidden state; the track vector is the mean of the window means,
/// L2-normalised.
/// <para>
/// <b>Threads.</b> Thread-safe: any number of callers share one loaded encoder. Validation, windowing and the
/// pooling arithmetic run on the callers' threads; forward passes run one at a time on one worker, which
/// batches equal-length windows across callers (up to the batch size given at construction).
/// </para>
/// <para>
/// <b>Memory.</b> Windows are slices of the caller's samples, never copies. Beyond the PCM itself, an embedding
/// holds one batch of windows of activations (the worker's workspace, <see cref="WorkspacePeakBytes"/>: about
/// 65 MB per 30 s window for MusicFM-small's shapes) and a vector per window, so a 2-hour track costs its PCM
/// (about 690 MB at 24 kHz) plus one batch; with <see cref="EmbeddingOptions.MaxWindows"/> the work is bounded too.
/// </para>
/// <para>
/// The encoder stays the caller's: dispose it after the embedder.
/// </para>
/// </summary>
public sealed class AudioEmbedder : IDisposable
{
    private readonly IAudioEncoder _encoder;
    private readonly ForwardQueue _queue;
    private readonly int _windowSamples;
    private readonly int _hopSamples;
    private readonly int _minimumPartialSamples;

    /// <param name="encoder">The loaded model; only this embedder may run forward passes on it from now on.</param>
    /// <param name="batchSize">Most windows of equal length per forward pass.</param>
    public AudioEmbedder(IAudioEncoder encoder, int batchSize = 1)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        _encoder = encoder;
        var manifest = encoder.Manifest;
        var embedding = manifest.Embedding;
        _windowSamples = Samples(embedding.WindowSeconds);
        _hopSamples = Samples(embedding.HopSeconds);
        _minimumPartialSamples = Math.Max(Samples(embedding.MinWindowSeconds), encoder.MinimumSamples);
        _queue = new ForwardQueue(encoder, batchSize);

        int Samples(double seconds) => (int)Math.Max(1, Math.Min(int.MaxValue, Math.Round(seconds * manifest.SampleRate)));
    }

    public int SampleRate => _encoder.Manifest.SampleRate;

    public int Dimensions => _encoder.HiddenSize;

    /// <summary>The package's version string: vectors of different versions never share a collection.</summary>
    public string ModelVersion => _encoder.Manifest.Version;

    /// <summary>The largest workspace a forward pass of this embedder has used so far (one batch of windows).</summary>
    public long WorkspacePeakBytes => _queue.WorkspacePeakBytes;

    /// <summary>Forward passes run so far; windows embedded divided by this is the batch size achieved.</summary>
    public long ForwardPassCount => _queue.PassCount;

    /// <summary>Embeds one track.</summary>
    /// <param name="samples">Mono PCM at <see cref="SampleRate"/>; read until the task completes, so keep it unchanged till then.</param>
    /// <param name="options">Layer, all layers, window limit; null for the package's defaults.</param>
    /// <param name="cancellationToken">Skips the windows not yet run; a running forward pass finishes first.</param>
    /// <exception cref="ArgumentException">The samples are empty, contain NaN/∞ (the message names the first such sample), or are too short for one frame.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The layer is outside the model's hidden states, or the window limit below 1.</exception>
    /// <exception cref="ObjectDisposedException">The embedder was disposed.</exception>
    public async Task<TrackEmbedding> EmbedAsync(ReadOnlyMemory<float> samples, EmbeddingOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        options ??= EmbeddingOptions.Default;
        var layer = options.Layer ?? _encoder.Manifest.Embedding.Layer;
        if (layer < 0 || layer >= _encoder.HiddenStateCount)
        {
            throw new ArgumentOutOfRangeException(nameof(options), layer,
                $"The layer must lie in [0, {_encoder.HiddenStateCount - 1}] (0 is the frontend's output, {_encoder.HiddenStateCount - 1} the last layer's).");
        }
        if (options.MaxWindows is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxWindows, "MaxWindows must be at least 1 (or null for every window).");
        }
        CheckSamples(samples.Span);

        var spans = WindowPlanner.Plan(samples.Length, _windowSamples, _hopSamples, _minimumPartialSamples, options.MaxWindows);
        var requests = new WindowRequest[spans.Length];
        for (var i = 0; i < spans.Length; i++)
        {
            requests[i] = new WindowRequest(samples.Slice(spans[i].Start, spans[i].Length), layer, options.AllLayers, _encoder.HiddenStateCount, cancellationToken);
            _queue.Enqueue(requests[i]);
        }
        var means = await Task.WhenAll(requests.Select(request => request.Completion)).ConfigureAwait(false);
        return Assemble(spans, means, layer, options.AllLayers, samples.Length);
    }

    private void CheckSamples(ReadOnlySpan<float> samples)
    {
        if (samples.IsEmpty)
        {
            throw new ArgumentException("The audio is empty: there is nothing to embed.", nameof(samples));
        }
        WaveformChecks.EnsureFinite(samples, samples.Length);
        if (samples.Length < _encoder.MinimumSamples)
        {
            throw new ArgumentException(
                $"The audio has {samples.Length} samples ({(double)samples.Length / SampleRate:0.####} s); the model needs at least " +
                $"{_encoder.MinimumSamples} ({(double)_encoder.MinimumSamples / SampleRate:0.####} s) for one frame.",
                nameof(samples));
        }
    }

    private TrackEmbedding Assemble(WindowSpan[] spans, float[]?[][] means, int layer, bool allLayers, int sampleCount)
    {
        var rate = (double)SampleRate;
        var windows = new WindowEmbedding[spans.Length];
        for (var i = 0; i < spans.Length; i++)
        {
            var mean = means[i][layer]!;
            windows[i] = new WindowEmbedding(spans[i].Start, spans[i].Length, spans[i].Start / rate, spans[i].Length / rate, mean, VectorMath.Normalize(mean))
            {
                LayerMeans = allLayers ? Array.ConvertAll(means[i], m => m!) : null,
            };
        }
        return new TrackEmbedding(VectorMath.Normalize(VectorMath.Mean(windows.Select(w => w.Mean).ToArray())), windows, _encoder.Manifest.Version, layer)
        {
            SampleCount = sampleCount,
            SampleRate = SampleRate,
            LayerVectors = allLayers
                ? Enumerable.Range(0, _encoder.HiddenStateCount).Select(k => VectorMath.Normalize(VectorMath.Mean(means.Select(m => m[k]!).ToArray()))).ToArray()
                : null,
        };
    }

    /// <summary>Stops the worker after the running forward pass; windows still queued fail with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose() => _queue.Dispose();
}

using System.Diagnostics;
using MusicSearch.Inference.Tensors;

namespace MusicSearch.Inference.Backends;

/// <summary>
/// Wraps a backend and adds up the wall time of every op call by op and shapes (<c>musicsearch bench --profile</c>).
/// The time is that of the call, so it is the op's run time only on a backend whose ops finish before they return
/// (the CPU backend); an asynchronous backend would need a synchronisation per op to be profiled this way. Every
/// call formats a key, so this is a diagnostic, never a serving path. Disposing it disposes the wrapped backend.
/// </summary>
public sealed class ProfilingBackend(IComputeBackend inner) : IComputeBackend
{
    private readonly Dictionary<string, OpTime> _times = [];

    /// <summary>Total time and calls per op key (<c>"Linear [750, 384] → [750, 1536]"</c>), since the last <see cref="Clear"/>.</summary>
    public IReadOnlyDictionary<string, OpTime> Times => _times;

    public string DeviceName => inner.DeviceName;

    /// <summary>Forgets the times so far, e.g. those of a warm-up pass.</summary>
    public void Clear() => _times.Clear();

    public Tensor Upload(ReadOnlySpan<float> values, TensorShape shape) => inner.Upload(values, shape);

    public void Upload(ReadOnlySpan<float> values, Tensor destination)
    {
        var clock = Stopwatch.GetTimestamp();
        inner.Upload(values, destination);
        Record(clock, "Upload", destination.Shape);
    }

    public void Download(Tensor source, Span<float> destination) => inner.Download(source, destination);

    public Workspace CreateWorkspace() => inner.CreateWorkspace();

    public PreparedLinear PrepareLinear(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int outFeatures, int inFeatures) =>
        inner.PrepareLinear(weight, bias, outFeatures, inFeatures);

    public PreparedConv1d PrepareConv1d(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Conv1dGeometry geometry) =>
        inner.PrepareConv1d(weight, bias, geometry);

    public PreparedConv2d PrepareConv2d(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Conv2dGeometry geometry) =>
        inner.PrepareConv2d(weight, bias, geometry);

    public void Linear(Tensor input, PreparedLinear layer, Tensor output, Activation activation = Activation.None, Tensor? residual = null, float scale = 1f)
    {
        var clock = Stopwatch.GetTimestamp();
        inner.Linear(input, layer, output, activation, residual, scale);
        Record(clock, "Linear", input.Shape, output.Shape);
    }

    public void Conv1d(Tensor input, PreparedConv1d layer, Tensor output, Activation activation = Activation.None, Tensor? residual = null)
    {
        var clock = Stopwatch.GetTimestamp();
        inner.Conv1d(input, layer, output, activation, residual);
        Record(clock, $"Conv1d k{layer.Geometry.KernelSize} s{layer.Geometry.Stride} g{layer.Geometry.Groups}", input.Shape, output.Shape);
    }

    public void Conv2d(Tensor input, PreparedConv2d layer, Tensor output, Activation activation = Activation.None, Tensor? residual = null)
    {
        var clock = Stopwatch.GetTimestamp();
        inner.Conv2d(input, layer, output, activation, residual);
        var g = layer.Geometry;
        Record(clock, $"Conv2d {g.KernelHeight}×{g.KernelWidth} s{g.StrideHeight}", input.Shape, output.Shape);
    }

    public void LayerNorm(Tensor input, Tensor? gamma, Tensor? beta, float epsilon, Tensor output)
    {
        var clock = Stopwatch.GetTimestamp();
        inner.LayerNorm(input, gamma, beta, epsilon, output);
        Record(clock, "LayerNorm", input.Shape);
    }

    public void LayerNormOverChannels(Tensor input, Tensor? gamma, Tensor? beta, float epsilon, Tensor output)
    {
        var clock = Stopwatch.GetTimestamp();
        inner.LayerNormOverChannels(input, gamma, beta, epsilon, output);
        Record(clock, "LayerNormOverChannels", input.Shape);
    }

    public void GroupNorm(Tensor input, int groups, Tensor? gamma, Tensor? beta, float epsilon, Tensor output)
    {
        var clock = Stopwatch.GetTimestamp();
        inner.GroupNorm(input, groups, gamma, beta, epsilon, output);
        Record(clock, "GroupNorm", input.Shape);
    }

    public void Activate(Tensor input, Activation activation, Tensor output)
    {
        var clock = Stopwatch.GetTimestamp();
        inner.Activate(input, activation, output);
        Record(clock, $"Activate {activation}", input.Shape);
    }

    public void Glu(Tensor input, int axis, Tensor output)
    {
        var clock = Stopwatch.GetTimestamp();
        inner.Glu(input, axis, output);
        Record(clock, "Glu", input.Shape, output.Shape);
    }

    public void Add(Tensor input, Tensor other, Tensor output, float scale = 1f)
    {
        var clock = Stopwatch.GetTimestamp();
        inner.Add(input, other, output, scale);
        Record(clock, "Add", input.Shape);
    }

    public void Transpose(Tensor input, Tensor output)
    {
        var clock = Stopwatch.GetTimestamp();
        inner.Transpose(input, output);
        Record(clock, "Transpose", input.Shape, output.Shape);
    }

    public void MeanOverTime(Tensor input, Tensor output)
    {
        var clock = Stopwatch.GetTimestamp();
        inner.MeanOverTime(input, output);
        Record(clock, "MeanOverTime", input.Shape);
    }

    public void Softmax(Tensor input, Tensor output)
    {
        var clock = Stopwatch.GetTimestamp();
        inner.Softmax(input, output);
        Record(clock, "Softmax", input.Shape);
    }

    public void Rotary(Tensor input, Tensor cos, Tensor sin, Tensor output)
    {
        var clock = Stopwatch.GetTimestamp();
        inner.Rotary(input, cos, sin, output);
        Record(clock, "Rotary", input.Shape);
    }

    public void Attention(Tensor query, Tensor key, Tensor value, int heads, Tensor output)
    {
        var clock = Stopwatch.GetTimestamp();
        inner.Attention(query, key, value, heads, output);
        Record(clock, $"Attention ×{heads}", query.Shape);
    }

    public PreparedStft PrepareStft(ReadOnlySpan<float> window, StftGeometry geometry) => inner.PrepareStft(window, geometry);

    public void StftPower(Tensor signal, PreparedStft stft, float exponent, Tensor output)
    {
        var clock = Stopwatch.GetTimestamp();
        inner.StftPower(signal, stft, exponent, output);
        Record(clock, "StftPower", signal.Shape, output.Shape);
    }

    public void PowerToDecibels(Tensor input, float floor, float mean, float std, Tensor output)
    {
        var clock = Stopwatch.GetTimestamp();
        inner.PowerToDecibels(input, floor, mean, std, output);
        Record(clock, "PowerToDecibels", input.Shape);
    }

    public void Dispose() => inner.Dispose();

    private void Record(long start, string op, TensorShape input)
    {
        var elapsed = Stopwatch.GetElapsedTime(start);
        Add($"{op} {input}", elapsed);
    }

    private void Record(long start, string op, TensorShape input, TensorShape output)
    {
        var elapsed = Stopwatch.GetElapsedTime(start);
        Add($"{op} {input} → {output}", elapsed);
    }

    private void Add(string key, TimeSpan elapsed) =>
        _times[key] = _times.TryGetValue(key, out var time) ? new OpTime(time.Calls + 1, time.Total + elapsed) : new OpTime(1, elapsed);
}

/// <summary>Calls of one op key and their summed wall time.</summary>
public readonly record struct OpTime(int Calls, TimeSpan Total);

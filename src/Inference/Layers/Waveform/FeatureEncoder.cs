using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Models;
using MusicSearch.Inference.Packages;
using MusicSearch.Inference.Tensors;

namespace MusicSearch.Inference.Layers.Waveform;

/// <summary>
/// The convolutional feature encoder of MERT and music2vec (MODEL_SPEC §3.2 step 1, §4): waveforms [B, N] →
/// features [B, conv_dim[-1], T] through unpadded strided Conv1d layers, each followed by GELU. Group mode
/// (MERT) puts a GroupNorm with one group per channel after the first convolution only; layer mode
/// (music2vec) a LayerNorm over the channels after every convolution.
/// </summary>
internal sealed class FeatureEncoder
{
    // HF builds these norms with torch's default ε, not config.layer_norm_eps.
    private const float NormEpsilon = 1e-5f;

    private readonly IComputeBackend _backend;
    private readonly ConvLayer[] _layers;

    private FeatureEncoder(IComputeBackend backend, ConvLayer[] layers)
    {
        _backend = backend;
        _layers = layers;
        ReceptiveField = 1;
        for (var j = layers.Length - 1; j >= 0; j--)
        {
            var g = layers[j].Conv.Geometry;
            ReceptiveField = (ReceptiveField - 1) * g.Stride + g.KernelSize;
        }
    }

    private enum Norm
    {
        None,
        PerChannelOverTime,
        OverChannels,
    }

    private sealed record ConvLayer(PreparedConv1d Conv, Norm Norm, Tensor? Gamma, Tensor? Beta, string Name);

    /// <summary>Samples that make one output frame: the shortest clip the encoder accepts.</summary>
    public int ReceptiveField { get; }

    public static FeatureEncoder Load(IComputeBackend backend, SafeTensorsFile weights, WaveformTransformerConfig config)
    {
        var layers = new ConvLayer[config.ConvDim.Length];
        for (var j = 0; j < layers.Length; j++)
        {
            var prefix = $"feature_extractor.conv_layers.{j}";
            var geometry = new Conv1dGeometry(j == 0 ? 1 : config.ConvDim[j - 1], config.ConvDim[j], config.ConvKernel[j], config.ConvStride[j]);
            var norm = config.FeatExtractNorm == "layer" ? Norm.OverChannels : j == 0 ? Norm.PerChannelOverTime : Norm.None;
            var (gamma, beta) = norm == Norm.None
                ? ((Tensor?)null, (Tensor?)null)
                : (backend.Upload(weights, prefix + ".layer_norm.weight"), backend.Upload(weights, prefix + ".layer_norm.bias"));
            layers[j] = new ConvLayer(backend.PrepareConv1d(weights, prefix + ".conv", geometry, config.ConvBias), norm, gamma, beta, $"conv.{j}");
        }
        return new FeatureEncoder(backend, layers);
    }

    /// <summary>Frames after the last layer by L ← ⌊(L − k)/s⌋ + 1 per layer; 0 when a layer gets fewer steps than its kernel.</summary>
    public int OutputLength(int samples)
    {
        var length = samples;
        foreach (var layer in _layers)
        {
            var g = layer.Conv.Geometry;
            if (length < g.KernelSize)
            {
                return 0;
            }
            length = g.OutputLength(length);
        }
        return length;
    }

    /// <summary>
    /// Runs the layers on <paramref name="signal"/> [B, N] (N ≥ <see cref="ReceptiveField"/>), handing each
    /// output to <paramref name="observe"/> as <c>conv.{j}</c>. The result is allocated from
    /// <paramref name="workspace"/> in the caller's scope.
    /// </summary>
    public Tensor Forward(Tensor signal, Workspace workspace, IntermediateObserver observe)
    {
        var batch = signal.Shape[0];
        // Layer j reads what layer j − 1 wrote, so two buffers used alternately hold the whole stack; the
        // first layer's output, 1/stride of the input's length times the channels, dominates the peak.
        var (even, odd) = BufferSizes(batch, signal.Shape[1]);
        var evenBuffer = workspace.Allocate(even);
        var oddBuffer = odd > 0 ? workspace.Allocate(odd) : default;
        var current = signal.Reshape(batch, 1, signal.Shape[1]);
        for (var j = 0; j < _layers.Length; j++)
        {
            var layer = _layers[j];
            var g = layer.Conv.Geometry;
            var length = g.OutputLength(current.Shape[2]);
            var output = (j % 2 == 0 ? evenBuffer : oddBuffer).Slice(0, batch * g.OutChannels * length).Reshape(batch, g.OutChannels, length);
            _backend.Conv1d(current, layer.Conv, output, layer.Norm == Norm.None ? Activation.Gelu : Activation.None);
            if (layer.Norm == Norm.PerChannelOverTime)
            {
                _backend.GroupNorm(output, g.OutChannels, layer.Gamma, layer.Beta, NormEpsilon, output);
                _backend.Activate(output, Activation.Gelu, output);
            }
            else if (layer.Norm == Norm.OverChannels)
            {
                _backend.LayerNormOverChannels(output, layer.Gamma, layer.Beta, NormEpsilon, output);
                _backend.Activate(output, Activation.Gelu, output);
            }
            observe(layer.Name, output);
            current = output;
        }
        return current;
    }

    /// <summary>The largest output of the even-numbered and of the odd-numbered layers, in elements (0: no odd layer).</summary>
    private (int Even, int Odd) BufferSizes(int batch, int samples)
    {
        long even = 0, odd = 0, length = samples;
        for (var j = 0; j < _layers.Length; j++)
        {
            var g = _layers[j].Conv.Geometry;
            length = g.OutputLength((int)length);
            var size = (long)batch * g.OutChannels * length;
            if (j % 2 == 0)
            {
                even = Math.Max(even, size);
            }
            else
            {
                odd = Math.Max(odd, size);
            }
        }
        if (even > int.MaxValue || odd > int.MaxValue)
        {
            throw new ArgumentException($"A batch of {batch} clips of {samples} samples makes a feature-encoder activation of more than {int.MaxValue} elements; run fewer or shorter clips at once.");
        }
        return ((int)even, (int)odd);
    }
}

using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Layers.Common;
using MusicSearch.Inference.Models;
using MusicSearch.Inference.Packages;
using MusicSearch.Inference.Tensors;

namespace MusicSearch.Inference.Layers.Waveform;

/// <summary>
/// Positional embedding plus transformer layers, with HF's <c>hidden_states</c> (MODEL_SPEC §3.2 step 4).
/// Post-LN: [0] = LN_enc(x + pos), [i] = layer i's output. Pre-LN: [0] = x + pos, [1 … L−1] = the raw residual
/// stream, [L] = LN_enc(layer L's output); the encoder LayerNorm is applied only there.
/// </summary>
internal sealed class TransformerEncoder
{
    private readonly IPositionalEmbedding _positional;
    private readonly LayerNormWeights _norm;
    private readonly TransformerLayer[] _layers;
    private readonly bool _preNorm;
    private readonly string[] _names;

    private TransformerEncoder(IPositionalEmbedding positional, LayerNormWeights norm, TransformerLayer[] layers, bool preNorm)
    {
        _positional = positional;
        _norm = norm;
        _layers = layers;
        _preNorm = preNorm;
        _names = new string[layers.Length + 1];
        for (var k = 0; k < _names.Length; k++)
        {
            _names[k] = $"hidden.{k}";
        }
    }

    public static TransformerEncoder Load(IComputeBackend backend, SafeTensorsFile weights, WaveformTransformerConfig config, IPositionalEmbedding positional)
    {
        var layers = new TransformerLayer[config.NumHiddenLayers];
        for (var i = 0; i < layers.Length; i++)
        {
            layers[i] = TransformerLayer.Load(backend, weights, $"encoder.layers.{i}", config.NumAttentionHeads, config.LayerNormEps, config.DoStableLayerNorm);
        }
        return new TransformerEncoder(positional, LayerNormWeights.Load(backend, weights, "encoder.layer_norm", config.LayerNormEps), layers, config.DoStableLayerNorm);
    }

    /// <summary>
    /// Turns the projected frames <paramref name="x"/> [B, T, H] into hidden state <paramref name="lastHiddenState"/>
    /// in place, handing states 0 … <paramref name="lastHiddenState"/> to <paramref name="observe"/> as <c>hidden.{k}</c>.
    /// </summary>
    public void Forward(Tensor x, int lastHiddenState, Workspace workspace, IntermediateObserver observe)
    {
        _positional.AddTo(x, workspace);
        if (!_preNorm)
        {
            _norm.Apply(x, x);
        }
        observe(_names[0], x);
        for (var k = 1; k <= lastHiddenState; k++)
        {
            _layers[k - 1].Forward(x, workspace);
            if (_preNorm && k == _layers.Length)
            {
                _norm.Apply(x, x);
            }
            observe(_names[k], x);
        }
    }
}

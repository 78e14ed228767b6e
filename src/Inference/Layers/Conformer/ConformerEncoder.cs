using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Layers.Common;
using MusicSearch.Inference.Models;
using MusicSearch.Inference.Packages;
using MusicSearch.Inference.Tensors;

namespace MusicSearch.Inference.Layers.Conformer;

/// <summary>
/// HF's <c>Wav2Vec2ConformerEncoder</c> in its rotary configuration (MODEL_SPEC §2.1): the layers, then the
/// encoder LayerNorm after the last one. No LayerNorm before the layers, and no positional convolution (built
/// by HF but never called). Hidden states as HF returns them (§1.5): [0] the input, [k] layer k's output (after
/// its final LayerNorm) for k &lt; L, [L] the encoder LayerNorm of layer L's output.
/// </summary>
internal sealed class ConformerEncoder
{
    private readonly ConformerLayer[] _layers;
    private readonly LayerNormWeights _norm;
    private readonly RotaryPositions _positions;
    private readonly string[] _names;

    private ConformerEncoder(ConformerLayer[] layers, LayerNormWeights norm, RotaryPositions positions)
    {
        _layers = layers;
        _norm = norm;
        _positions = positions;
        _names = new string[layers.Length + 1];
        for (var k = 0; k < _names.Length; k++)
        {
            _names[k] = $"hidden.{k}";
        }
    }

    /// <summary>
    /// The layers under <paramref name="prefix"/> (<c>conformer</c> in MusicFM), with rotary tables built now for
    /// <paramref name="positions"/> frames, the longest window the model is meant for.
    /// </summary>
    public static ConformerEncoder Load(IComputeBackend backend, SafeTensorsFile weights, string prefix, ConformerSizes sizes, int layers, int positions)
    {
        var loaded = new ConformerLayer[layers];
        for (var i = 0; i < loaded.Length; i++)
        {
            loaded[i] = ConformerLayer.Load(backend, weights, $"{prefix}.layers.{i}", sizes);
        }
        return new ConformerEncoder(
            loaded,
            LayerNormWeights.Load(backend, weights, prefix + ".layer_norm", sizes.LayerNormEpsilon),
            new RotaryPositions(backend, sizes.HeadDim, sizes.RotaryBase, positions));
    }

    /// <summary>
    /// Turns x [B, T, H] (hidden state 0) into hidden state <paramref name="lastHiddenState"/> in place, handing
    /// states 0 … <paramref name="lastHiddenState"/> to <paramref name="observe"/> as <c>hidden.{k}</c>; later
    /// layers are not run.
    /// </summary>
    public void Forward(Tensor x, int lastHiddenState, Workspace workspace, IntermediateObserver observe)
    {
        _positions.EnsureCovers(x.Shape[1]);
        observe(_names[0], x);
        for (var k = 1; k <= lastHiddenState; k++)
        {
            _layers[k - 1].Forward(x, _positions, workspace);
            if (k == _layers.Length)
            {
                _norm.Apply(x, x);
            }
            observe(_names[k], x);
        }
    }
}

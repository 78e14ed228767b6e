namespace MusicSearch.Inference.Layers.Conformer;

/// <summary>The sizes a Conformer layer is built from (HF <c>Wav2Vec2ConformerConfig</c> fields).</summary>
internal readonly record struct ConformerSizes(int Hidden, int Heads, int DepthwiseKernel, double LayerNormEpsilon, double RotaryBase)
{
    public int HeadDim => Hidden / Heads;
}

using System.Globalization;
using MusicSearch.Inference.Packages;

namespace MusicSearch.Inference.Tests.MusicFm;

/// <summary>
/// The reference activations <c>musicsearch_training.golden</c> wrote for a package: per case <c>case{i}.wav</c>,
/// <c>.mel</c>, <c>.mel_normalized</c>, <c>.conv</c>, <c>.hidden.{k}</c> and <c>.embedding</c>.
/// </summary>
public sealed class GoldenFile(SafeTensorsFile file) : IDisposable
{
    public int CaseCount => Metadata("num_cases");

    public int HiddenStateCount => Metadata("num_hidden_states");

    /// <summary>The package's embedding layer, which <c>.embedding</c> pools.</summary>
    public int Layer => Metadata("layer");

    public float[] Waveform(int index) => Floats(index, "wav");

    public float[] Floats(int index, string name) => file.ReadAsFloat32($"case{index}.{name}");

    public double[] Doubles(int index, string name) => Array.ConvertAll(Floats(index, name), v => (double)v);

    /// <summary>Frames (first dimension) of hidden state 0 of a case.</summary>
    public bool Has(int index, string name) => file.Contains($"case{index}.{name}");

    public int Frames(int index) => checked((int)file.Get($"case{index}.hidden.0").Shape[0]);

    private int Metadata(string key) => int.Parse(file.Metadata[key], CultureInfo.InvariantCulture);

    public void Dispose() => file.Dispose();
}

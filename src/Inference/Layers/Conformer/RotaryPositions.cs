using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Tensors;

namespace MusicSearch.Inference.Layers.Conformer;

/// <summary>
/// The rotary cos/sin tables on the device (MODEL_SPEC §2.3). Built once at load for the longest window the
/// model is meant to see; a longer clip rebuilds them at least twice as long. Backend memory is freed only with
/// the backend, so the doubling keeps what the superseded tables hold below the size of the current ones.
/// </summary>
internal sealed class RotaryPositions
{
    private readonly IComputeBackend _backend;
    private readonly int _headDim;
    private readonly double _base;

    public RotaryPositions(IComputeBackend backend, int headDim, double rotaryBase, int positions)
    {
        _backend = backend;
        _headDim = headDim;
        _base = rotaryBase;
        Build(positions);
    }

    /// <summary>Positions the current tables cover.</summary>
    public int Positions { get; private set; }

    public Tensor Cos { get; private set; }

    public Tensor Sin { get; private set; }

    /// <summary>Makes <see cref="Cos"/>/<see cref="Sin"/> cover sequences of <paramref name="length"/> frames.</summary>
    public void EnsureCovers(int length)
    {
        if (length > Positions)
        {
            Build((int)Math.Min(int.MaxValue, Math.Max(length, 2L * Positions)));
        }
    }

    private void Build(int positions)
    {
        var (cos, sin) = RotaryTables.Compute(positions, _headDim, _base);
        var shape = new TensorShape(positions, _headDim);
        Cos = _backend.Upload(cos, shape);
        Sin = _backend.Upload(sin, shape);
        Positions = positions;
    }
}

using MusicSearch.Inference.Backends.Cuda;

namespace MusicSearch.Inference.Backends;

/// <summary>Which backend runs a model, and its settings.</summary>
public sealed record BackendOptions
{
    public static BackendOptions Default { get; } = new();

    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;

    /// <summary>CPU backend threads; 0 means one per core.</summary>
    public int Threads { get; init; }

    public CudaOptions Cuda { get; init; } = CudaOptions.Default;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Device))
        {
            throw new ArgumentException($"Unknown compute device {(int)Device}; expected one of: {ComputeDeviceNames.Accepted}.", nameof(Device));
        }
        if (Threads < 0)
        {
            throw new ArgumentException($"Threads must be 0 (one per core) or more, not {Threads}.", nameof(Threads));
        }
        ArgumentNullException.ThrowIfNull(Cuda);
        Cuda.Validate();
    }
}

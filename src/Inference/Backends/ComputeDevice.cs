namespace MusicSearch.Inference.Backends;

/// <summary>Which compute backend runs a model.</summary>
public enum ComputeDevice
{
    /// <summary>The CPU backend (OpenBLAS + AVX2 kernels).</summary>
    Cpu,

    /// <summary>The CUDA backend; falls back to the CPU, with one log line, when no GPU, driver or library is usable.</summary>
    Cuda,

    /// <summary>CUDA when it is usable, else the CPU (with the same log line).</summary>
    Auto,
}

/// <summary>Parses the device names the CLI and settings use.</summary>
public static class ComputeDeviceNames
{
    /// <summary>The accepted names, for help texts.</summary>
    public const string Accepted = "cpu, cuda, auto";

    /// <summary>Parses <c>cpu</c>, <c>cuda</c> or <c>auto</c> (any case); anything else is an <see cref="ArgumentException"/> listing them.</summary>
    public static ComputeDevice Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToUpperInvariant() switch
        {
            "CPU" => ComputeDevice.Cpu,
            "CUDA" => ComputeDevice.Cuda,
            "AUTO" => ComputeDevice.Auto,
            _ => throw new ArgumentException($"Unknown compute device '{name}'; expected one of: {Accepted}.", nameof(name)),
        };
    }
}

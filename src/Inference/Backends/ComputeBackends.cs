using Microsoft.Extensions.Logging;
using MusicSearch.Inference.Backends.Cpu;
using MusicSearch.Inference.Backends.Cuda;

namespace MusicSearch.Inference.Backends;

/// <summary>
/// Creates the backend <see cref="BackendOptions.Device"/> asks for. CUDA (asked for, or <see cref="ComputeDevice.Auto"/>)
/// falls back to the CPU backend whenever it cannot run, with exactly one warning that says why, so a GPU-less
/// host runs the same command unchanged.
/// </summary>
public static partial class ComputeBackends
{
    public static IComputeBackend Create(BackendOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        if (options.Device == ComputeDevice.Cpu)
        {
            return new CpuBackend(options.Threads);
        }
        var probe = CudaProbe.Run(options.Cuda);
        var reason = probe.IsUsable ? $"{probe.Device} found, but the CUDA backend is not complete yet (src/Inference/Backends/Cuda/STATUS.md)" : probe.Problem!;
        var cpu = new CpuBackend(options.Threads);
        LogFallback(logger, options.Device, reason, cpu.Threads);
        return cpu;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device {Device}: CUDA is not used because {Reason}; running on the CPU backend with {Threads} threads.")]
    private static partial void LogFallback(ILogger logger, ComputeDevice device, string reason, int threads);
}

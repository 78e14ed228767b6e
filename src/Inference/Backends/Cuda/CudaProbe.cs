using MusicSearch.Inference.Backends.Cuda.Native;

namespace MusicSearch.Inference.Backends.Cuda;

/// <summary>What <see cref="CudaProbe.Run"/> found: the device, or the one reason CUDA cannot be used.</summary>
public sealed record CudaProbeResult(CudaLibraries Libraries, string? Device, int ComputeCapability, string? Problem)
{
    public bool IsUsable => Problem is null;
}

/// <summary>
/// Checks, without creating a context, that CUDA can run here: every library loads, the driver initialises, and
/// the configured device exists. Each failure becomes one sentence for the fallback's log line.
/// </summary>
public static class CudaProbe
{
    public static CudaProbeResult Run(CudaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var libraries = CudaLibraries.Load(options);
        var driverStatus = libraries.Libraries.Single(l => l.Location.Library == CudaLibrary.Driver);
        if (!driverStatus.IsLoaded)
        {
            return new CudaProbeResult(libraries, null, 0, $"no CUDA driver: {driverStatus.Problem}");
        }
        try
        {
            var driver = new CudaDriver(driverStatus.Handle);
            driver.Init();
            var count = driver.DeviceCount();
            if (options.DeviceIndex >= count)
            {
                return new CudaProbeResult(libraries, null, 0, count == 0
                    ? "the CUDA driver sees no GPU"
                    : $"CUDA device {options.DeviceIndex} requested, but the driver sees {count}");
            }
            var device = driver.Device(options.DeviceIndex);
            var capability = 10 * driver.DeviceAttribute(device, CudaDriver.AttributeComputeCapabilityMajor) +
                driver.DeviceAttribute(device, CudaDriver.AttributeComputeCapabilityMinor);
            var name = $"{driver.DeviceName(device)} (sm_{capability}, driver CUDA {driver.DriverVersion() / 1000}.{driver.DriverVersion() % 1000 / 10})";
            var missing = libraries.FirstProblem;
            return new CudaProbeResult(libraries, name, capability, missing is null ? null : $"{name} found, but {missing}");
        }
        catch (Exception error) when (error is CudaException or EntryPointNotFoundException)
        {
            return new CudaProbeResult(libraries, null, 0, $"the CUDA driver failed: {error.Message}");
        }
    }
}

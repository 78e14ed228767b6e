using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Backends.Cuda;

namespace MusicSearch.Inference.Tests.Backends.Cuda;

public sealed class BackendOptionsTests
{
    [Theory]
    [InlineData("cpu", ComputeDevice.Cpu)]
    [InlineData("CUDA", ComputeDevice.Cuda)]
    [InlineData(" Auto ", ComputeDevice.Auto)]
    public void Device_names_parse_in_any_case(string name, ComputeDevice expected) =>
        Assert.Equal(expected, ComputeDeviceNames.Parse(name));

    [Fact]
    public void An_unknown_device_name_lists_the_accepted_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => ComputeDeviceNames.Parse("gpu"));
        Assert.Contains("cpu, cuda, auto", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(BackendOptions.Threads))]
    [InlineData(nameof(CudaOptions.DeviceIndex))]
    [InlineData(nameof(CudaOptions.Precision))]
    [InlineData(nameof(CudaOptions.ArenaBytes))]
    [InlineData(nameof(CudaOptions.SearchPaths))]
    [InlineData(nameof(BackendOptions.Device))]
    public void Invalid_settings_are_rejected_by_name(string setting)
    {
        var cuda = setting switch
        {
            nameof(CudaOptions.DeviceIndex) => new CudaOptions { DeviceIndex = -1 },
            nameof(CudaOptions.Precision) => new CudaOptions { Precision = (CudaPrecision)7 },
            nameof(CudaOptions.ArenaBytes) => new CudaOptions { ArenaBytes = -1 },
            nameof(CudaOptions.SearchPaths) => new CudaOptions { SearchPaths = [" "] },
            _ => CudaOptions.Default,
        };
        var options = new BackendOptions
        {
            Cuda = cuda,
            Threads = setting == nameof(BackendOptions.Threads) ? -1 : 0,
            Device = setting == nameof(BackendOptions.Device) ? (ComputeDevice)9 : ComputeDevice.Cuda,
        };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(setting, error.ParamName);
    }
}

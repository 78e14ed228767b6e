using Microsoft.Extensions.Logging;
using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Backends.Cpu;
using MusicSearch.Inference.Backends.Cuda;
using MusicSearch.Testing;

namespace MusicSearch.Inference.Tests.Backends.Cuda;

/// <summary>This machine has no GPU, driver or CUDA library: asking for CUDA must give the CPU backend and one warning.</summary>
public sealed class CudaFallbackTests
{
    [Theory]
    [InlineData(ComputeDevice.Cuda)]
    [InlineData(ComputeDevice.Auto)]
    public void Cuda_without_a_driver_falls_back_to_the_cpu_with_one_warning(ComputeDevice device)
    {
        var logger = new RecordingLogger();

        using var backend = ComputeBackends.Create(new BackendOptions { Device = device, Threads = 1 }, logger);

        Assert.IsType<CpuBackend>(backend);
        var line = Assert.Single(logger.Lines);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains("no CUDA driver: libcuda.so.1", line.Message, StringComparison.Ordinal);
        Assert.Contains("running on the CPU backend with 1 threads", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fake_driver_file_is_named_in_the_warning()
    {
        using var directory = new TemporaryDirectory();
        File.WriteAllText(directory.File("libcuda.so.1"), "not a library");
        var logger = new RecordingLogger();
        var options = new BackendOptions { Device = ComputeDevice.Cuda, Threads = 1, Cuda = new CudaOptions { SearchPaths = [directory.Path] } };

        using var backend = ComputeBackends.Create(options, logger);

        Assert.Contains(directory.File("libcuda.so.1"), Assert.Single(logger.Lines).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cpu_device_logs_nothing()
    {
        var logger = new RecordingLogger();

        using var backend = ComputeBackends.Create(new BackendOptions { Threads = 1 }, logger);

        Assert.IsType<CpuBackend>(backend);
        Assert.Empty(logger.Lines);
    }

    private sealed class RecordingLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((logLevel, formatter(state, exception)));
    }
}

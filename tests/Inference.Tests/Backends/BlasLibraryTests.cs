using MusicSearch.Inference.Backends.Cpu;

namespace MusicSearch.Inference.Tests.Backends;

public sealed class BlasLibraryTests
{
    [Fact]
    public void The_cpu_backend_runs_on_openblas()
    {
        // Debian's reference libblas is ~40× slower; the engine must have loaded OpenBLAS itself (speed is the bench's job).
        Assert.StartsWith("OpenBLAS", CpuBackend.BlasConfiguration, StringComparison.Ordinal);
    }
}

using System.Diagnostics;
using MusicSearch.Inference.Backends.Cpu;
using Xunit.Abstractions;

namespace MusicSearch.Inference.Tests.Backends;

/// <summary>
/// Measures the GEMM that carries the models (through <see cref="CpuBackend.Linear"/>, i.e. cblas_sgemm with
/// the weight transposed) and attention with 1 and 2 threads, and reports them. The assertion is only a
/// floor that catches a slow BLAS (Debian's reference libblas reaches 2 GFLOP/s); the cores are shared, so
/// the numbers vary with the machine's load.
/// </summary>
[Collection(TimingTestGroup.Name)]
public sealed class ThroughputTests(ITestOutputHelper output)
{
    [Fact]
    public void Sgemm_throughput_is_reported_for_the_models_shapes()
    {
        output.WriteLine(CpuBackend.BlasConfiguration);
        // (M, K, N): a cube, the Conformer FFN in and out at 30 s (750 tokens), the mel DFT of a 30 s window.
        (int M, int K, int N)[] shapes = [(1024, 1024, 1024), (750, 1024, 4096), (750, 4096, 1024), (3000, 2048, 2050)];
        var slowest = double.MaxValue;
        foreach (var threads in new[] { 1, 2 })
        {
            using var backend = new CpuBackend(threads);
            using var workspace = backend.CreateWorkspace();
            foreach (var (m, k, n) in shapes)
            {
                var layer = backend.PrepareLinear(Random(n * k), default, n, k);
                var input = workspace.Allocate(m, k);
                backend.Upload(Random(m * k), input);
                var result = workspace.Allocate(m, n);
                var seconds = Best(() => backend.Linear(input, layer, result), repeats: 4);
                var gflops = 2.0 * m * n * k / seconds / 1e9;
                slowest = Math.Min(slowest, gflops);
                output.WriteLine($"threads {threads}: [{m}×{k}]·[{k}×{n}] {seconds * 1e3,7:F1} ms  {gflops,6:F1} GFLOP/s");
            }

            var query = workspace.Allocate(1, 750, 1024);
            backend.Upload(Random(750 * 1024), query);
            var attended = workspace.Allocate(1, 750, 1024);
            var attention = Best(() => backend.Attention(query, query, query, 16, attended), repeats: 4);
            output.WriteLine($"threads {threads}: attention T=750, 16 heads of 64: {attention * 1e3:F1} ms");
        }
        Assert.True(slowest > 5, $"sgemm reached only {slowest:F1} GFLOP/s; is OpenBLAS in use?");
    }

    private static double Best(Action action, int repeats)
    {
        action();
        var best = double.MaxValue;
        for (var i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return best;
    }

    private static float[] Random(int count)
    {
        var random = new Random(count);
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = random.NextSingle() - 0.5f;
        }
        return values;
    }
}

/// <summary>Timing tests run alone, after the parallel ones, so other tests do not share their cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingTestGroup
{
    public const string Name = "Timings";
}

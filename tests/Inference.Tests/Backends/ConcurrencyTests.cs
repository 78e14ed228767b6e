using MusicSearch.Inference.Backends.Cpu;

namespace MusicSearch.Inference.Tests.Backends;

/// <summary>
/// OpenBLAS is one per process: backends with different thread counts used at the same time must not corrupt
/// each other's GEMMs (changing the count under a running multi-threaded GEMM frees buffers it uses).
/// </summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public void Backends_with_different_thread_counts_run_side_by_side()
    {
        var failures = 0;
        Parallel.Invoke(
            () => Interlocked.Add(ref failures, RepeatGemmAndAttention(threads: 1)),
            () => Interlocked.Add(ref failures, RepeatGemmAndAttention(threads: 2)),
            () => Interlocked.Add(ref failures, RepeatGemmAndAttention(threads: 2)));
        Assert.Equal(0, failures);
    }

    /// <returns>How many repetitions differed from the first (OpenBLAS is deterministic for one thread count).</returns>
    private static int RepeatGemmAndAttention(int threads)
    {
        using var backend = new CpuBackend(threads);
        using var workspace = backend.CreateWorkspace();
        var random = new Random(threads);
        var weights = new float[384 * 384];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = random.NextSingle() - 0.5f;
        }
        var layer = backend.PrepareLinear(weights, default, 384, 384);
        var input = workspace.Allocate(1, 200, 384);
        backend.Upload(weights.AsSpan(0, input.ElementCount), input);
        var projected = workspace.Allocate(1, 200, 384);
        var attended = workspace.Allocate(1, 200, 384);

        float[]? first = null;
        var differing = 0;
        for (var repetition = 0; repetition < 60; repetition++)
        {
            backend.Linear(input, layer, projected);
            backend.Attention(projected, projected, input, 6, attended);
            var result = new float[attended.ElementCount];
            backend.Download(attended, result);
            first ??= result;
            differing += first.AsSpan().SequenceEqual(result) ? 0 : 1;
        }
        return differing;
    }
}

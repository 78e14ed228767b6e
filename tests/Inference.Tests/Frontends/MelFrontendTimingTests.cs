using System.Diagnostics;
using MusicSearch.Inference.Backends.Cpu;
using MusicSearch.Inference.Frontends;
using MusicSearch.Inference.Tests.Backends;
using Xunit.Abstractions;

namespace MusicSearch.Inference.Tests.Frontends;

/// <summary>Reports the mel frontend's time for one 30 s window (the bound only catches a gross regression).</summary>
[Collection(TimingTestGroup.Name)]
public sealed class MelFrontendTimingTests(ITestOutputHelper output)
{
    [Fact]
    public void Thirty_second_window_timing_is_reported()
    {
        using var backend = new CpuBackend();
        var frontend = new MelSpectrogramFrontend(backend, MelFrontendTests.MusicFm, 24000, MelFrontendTests.NoNormalization);
        var random = new Random(30);
        var waveform = new float[30 * 24000];
        for (var i = 0; i < waveform.Length; i++)
        {
            waveform[i] = (random.NextSingle() - 0.5f) * 0.2f;
        }
        using var workspace = backend.CreateWorkspace();
        var best = TimeSpan.MaxValue;
        for (var run = 0; run < 5; run++)
        {
            workspace.Reset();
            var clock = Stopwatch.StartNew();
            frontend.Forward(waveform, 1, workspace);
            best = clock.Elapsed < best ? clock.Elapsed : best;
        }
        output.WriteLine($"30 s mel window (720 000 samples → 128 × 3000) on {backend.Threads} threads: best of 5 {best.TotalMilliseconds:F1} ms " +
            $"(a 25.2 GFLOP DFT GEMM is nearly all of it); arena {workspace.PeakBytes / 1048576.0:F1} MiB");
        Assert.True(best < TimeSpan.FromSeconds(5), $"{best.TotalMilliseconds} ms");
    }
}

using System.Diagnostics;
using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Models.MusicFm;
using MusicSearch.Inference.Tensors;
using Xunit.Abstractions;

namespace MusicSearch.Inference.Tests.MusicFm;

/// <summary>The cost of a 30 s window of MusicFM-small on this machine, and the arena's steady state.</summary>
[Collection(MusicFmTestGroup.Name)]
public sealed class MusicFmTimingTests(MusicFmFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void A_30_s_window_of_small_reports_its_time_and_allocates_nothing_after_the_first_pass()
    {
        var encoder = fixture.Encoder(MusicFmFixture.Small);
        var window = fixture.Golden(MusicFmFixture.Small).Waveform(0);
        var last = encoder.HiddenStateCount - 1;
        using var workspace = encoder.Backend.CreateWorkspace();

        foreach (var batch in new[] { 1, 2 })
        {
            var input = workspace.Allocate(batch, window.Length);
            for (var i = 0; i < batch; i++)
            {
                encoder.Backend.Upload(window, input.Slice(i, 1));
            }
            var elapsed = new List<double>();
            var allocations = 0;
            for (var pass = 0; pass < 3; pass++)
            {
                var clock = Stopwatch.StartNew();
                encoder.Forward(input, last, workspace, static (_, _) => { });
                elapsed.Add(clock.Elapsed.TotalSeconds);
                if (pass == 0)
                {
                    allocations = workspace.AllocationCount;
                }
            }
            Assert.Equal(allocations, workspace.AllocationCount);
            if (batch == 1)
            {
                output.WriteLine("stages of one pass (s): " + Stages(encoder, input, last, workspace));
            }
            var best = elapsed.Skip(1).Min();
            output.WriteLine($"batch {batch}: first pass {elapsed[0]:F3} s, then {string.Join(", ", elapsed.Skip(1).Select(s => $"{s:F3}"))} s " +
                $"= {batch / best:F2} windows/s; workspace peak {workspace.PeakBytes / 1e6:F1} MB ({workspace.PeakBytes / batch / 1e6:F1} MB per window)");
            workspace.Reset();
        }
    }

    /// <summary>Time from the previous intermediate to each one (frontend, Res2d + projection, each layer).</summary>
    private static string Stages(MusicFmEncoder encoder, Tensor input, int last, Workspace workspace)
    {
        var stages = new List<string>();
        var clock = Stopwatch.StartNew();
        encoder.Forward(input, last, workspace, (name, _) =>
        {
            stages.Add($"{name} {clock.Elapsed.TotalSeconds:F3}");
            clock.Restart();
        });
        return string.Join(", ", stages);
    }
}

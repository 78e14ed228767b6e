using Xunit.Abstractions;

namespace MusicSearch.Inference.Tests.MusicFm;

/// <summary>The arena of a forward pass: sized by the first pass of a shape, untouched by the next (timings live in <c>musicsearch bench</c>).</summary>
[Collection(MusicFmTestGroup.Name)]
public sealed class MusicFmWorkspaceTests(MusicFmFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void A_second_pass_of_the_same_batch_allocates_nothing_and_the_peak_scales_with_the_batch()
    {
        var encoder = fixture.Encoder(MusicFmFixture.Tiny);
        var window = fixture.Golden(MusicFmFixture.Tiny).Waveform(0);
        var peaks = new List<long>();
        foreach (var batch in new[] { 1, 2 })
        {
            using var workspace = encoder.Backend.CreateWorkspace();
            var (before, after) = (0, 0);
            for (var pass = 0; pass < 2; pass++)
            {
                // Reset merges the first pass's blocks into one of the peak size; from then on a pass only moves the cursor.
                workspace.Reset();
                before = workspace.AllocationCount;
                var input = workspace.Allocate(batch, window.Length);
                for (var i = 0; i < batch; i++)
                {
                    encoder.Backend.Upload(window, input.Slice(i, 1));
                }
                encoder.Forward(input, encoder.HiddenStateCount - 1, workspace, static (_, _) => { });
                after = workspace.AllocationCount;
            }
            Assert.Equal(before, after);
            peaks.Add(workspace.PeakBytes);
            output.WriteLine($"batch {batch}: workspace peak {workspace.PeakBytes / 1048576.0:F1} MiB ({workspace.PeakBytes / batch / 1048576.0:F1} MiB per 30 s window)");
        }
        Assert.InRange(peaks[1], 2 * peaks[0] - 65536, 2 * peaks[0]);
    }
}

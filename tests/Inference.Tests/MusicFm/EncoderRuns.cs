using MusicSearch.Inference.Models;

namespace MusicSearch.Inference.Tests.MusicFm;

/// <summary>Runs an encoder on host clips and brings every intermediate back to the host.</summary>
internal static class EncoderRuns
{
    /// <summary>The intermediates of one forward pass of equal-length <paramref name="clips"/>, by name in the order observed.</summary>
    public static Dictionary<string, float[]> Observe(IAudioEncoder encoder, float[][] clips, int lastHiddenState)
    {
        using var workspace = encoder.Backend.CreateWorkspace();
        var input = workspace.Allocate(clips.Length, clips[0].Length);
        encoder.Backend.Upload(clips.SelectMany(clip => clip).ToArray(), input);
        var observed = new Dictionary<string, float[]>();
        encoder.Forward(input, lastHiddenState, workspace, (name, value) =>
        {
            var values = new float[value.ElementCount];
            encoder.Backend.Download(value, values);
            observed.Add(name, values);
        });
        return observed;
    }
}

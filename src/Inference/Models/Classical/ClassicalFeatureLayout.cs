namespace MusicSearch.Inference.Models.Classical;

/// <summary>A block of per-frame features, by name and width, as the vector lays them out.</summary>
public sealed record FeatureGroup(string Name, int Width);

/// <summary>
/// Where each statistic sits in a classical vector: first the mean over frames of every per-frame feature, then
/// their standard deviations, each half in the order log-mel (low band first), MFCC (c0 first), contrast (lowest
/// band first), centroid, flatness.
/// </summary>
public static class ClassicalFeatureLayout
{
    public static IReadOnlyList<FeatureGroup> Groups(ClassicalConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return [new("mel", config.MelBands), new("mfcc", config.Mfcc), new("contrast", config.ContrastBands + 1), new("centroid", 1), new("flatness", 1)];
    }

    /// <summary>Start of a group's means; its standard deviations start <see cref="ClassicalConfig.FrameFeatures"/> later.</summary>
    public static int Offset(ClassicalConfig config, string group)
    {
        var offset = 0;
        foreach (var g in Groups(config))
        {
            if (g.Name == group)
            {
                return offset;
            }
            offset += g.Width;
        }
        throw new ArgumentException($"no feature group '{group}'", nameof(group));
    }
}

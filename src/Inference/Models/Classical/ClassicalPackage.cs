using System.Text.Json.Nodes;
using MusicSearch.Inference.Packages;

namespace MusicSearch.Inference.Models.Classical;

/// <summary>What a classical package computes; the defaults are the project's baseline (docs/model-package.md).</summary>
public sealed record ClassicalSettings
{
    public int SampleRate { get; init; } = 24000;

    public int NFft { get; init; } = 2048;

    public int HopLength { get; init; } = 512;

    public int MelBands { get; init; } = 40;

    public double FMax { get; init; } = 12000;

    public int Mfcc { get; init; } = 20;

    public int ContrastBands { get; init; } = 6;

    public double ContrastFMin { get; init; } = 200;

    public double ContrastQuantile { get; init; } = 0.02;

    public double WindowSeconds { get; init; } = 30;

    public double MinWindowSeconds { get; init; } = 5;

    /// <summary>Vector size: mean and std of every per-frame feature.</summary>
    public int Dimensions => 2 * (MelBands + Mfcc + ContrastBands + 1 + 2);
}

/// <summary>Writes classical-features packages: model.json plus the standardisation statistics as the weights file.</summary>
public static class ClassicalPackage
{
    public const string WeightsFile = "model.safetensors";

    /// <summary>Writes <c>model.json</c> and the statistics (with their sha256) into <paramref name="directory"/>, creating it.</summary>
    /// <exception cref="ArgumentException">Statistics of the wrong length.</exception>
    public static void Write(string directory, string version, ClassicalSettings settings, float[] mean, float[] std,
        IReadOnlyDictionary<string, string>? provenance = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Length != settings.Dimensions || std.Length != settings.Dimensions)
        {
            throw new ArgumentException($"the statistics need {settings.Dimensions} values each, got {mean.Length} and {std.Length}", nameof(mean));
        }
        Directory.CreateDirectory(directory);
        var weights = Path.Combine(directory, WeightsFile);
        new SafeTensorsWriter()
            .Add(ClassicalArchitecture.MeanTensor, [mean.Length], mean)
            .Add(ClassicalArchitecture.StdTensor, [std.Length], std)
            .Save(weights);
        var manifest = Manifest(version, settings, ModelPackage.ComputeSha256(weights), provenance ?? new Dictionary<string, string>());
        File.WriteAllText(Path.Combine(directory, ModelManifest.FileName), manifest.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    private static JsonObject Manifest(string version, ClassicalSettings s, string sha256, IReadOnlyDictionary<string, string> provenance)
    {
        var notes = new JsonObject();
        foreach (var (key, value) in provenance)
        {
            notes[key] = value;
        }
        return new JsonObject
        {
            ["format_version"] = ModelManifest.CurrentFormatVersion,
            ["architecture"] = "classical",
            ["version"] = version,
            ["weights"] = new JsonObject { ["file"] = WeightsFile, ["sha256"] = sha256 },
            ["sample_rate"] = s.SampleRate,
            ["frontend"] = new JsonObject
            {
                ["type"] = "mel", ["n_fft"] = s.NFft, ["win_length"] = s.NFft, ["hop_length"] = s.HopLength, ["n_mels"] = s.MelBands,
                ["f_min"] = 0.0, ["f_max"] = s.FMax, ["power"] = 2.0, ["mel_scale"] = "htk", ["center"] = true, ["pad_mode"] = "reflect",
                ["db_floor"] = 1e-10, ["drop_last_frame"] = false,
            },
            ["normalization"] = new JsonObject { ["type"] = "none" },
            ["config"] = new JsonObject
            {
                ["n_mfcc"] = s.Mfcc, ["contrast_bands"] = s.ContrastBands, ["contrast_f_min"] = s.ContrastFMin, ["contrast_quantile"] = s.ContrastQuantile,
            },
            ["embedding"] = new JsonObject
            {
                ["layer"] = 0, ["pooling"] = "mean", ["window_seconds"] = s.WindowSeconds, ["hop_seconds"] = s.WindowSeconds,
                ["min_window_seconds"] = s.MinWindowSeconds,
            },
            ["provenance"] = notes,
        };
    }
}

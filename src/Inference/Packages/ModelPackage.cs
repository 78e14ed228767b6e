using System.Security.Cryptography;

namespace MusicSearch.Inference.Packages;

/// <summary>
/// A model package folder (ARCHITECTURE.md §4): <c>model.json</c> plus its safetensors weights, validated
/// against the architecture before anything runs, so a bad package fails at load with a precise message
/// instead of producing wrong vectors later.
/// </summary>
public sealed class ModelPackage : IDisposable
{
    private ModelPackage(string directory, ModelManifest manifest, SafeTensorsFile weights)
    {
        Directory = directory;
        Manifest = manifest;
        Weights = weights;
    }

    public string Directory { get; }

    public ModelManifest Manifest { get; }

    public SafeTensorsFile Weights { get; }

    /// <param name="directory">The package folder.</param>
    /// <param name="verifyChecksum">Hash the weights and compare with <c>weights.sha256</c>; skip only where the
    /// file was verified before (it costs one read of the weights).</param>
    public static ModelPackage Open(string directory, bool verifyChecksum = true)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new ModelPackageException($"{directory}: model package folder not found.");
        }
        var manifestPath = Path.Combine(directory, ModelManifest.FileName);
        if (!File.Exists(manifestPath))
        {
            throw new ModelPackageException($"{manifestPath}: not found; a model package needs a {ModelManifest.FileName}.");
        }
        var manifest = ModelManifest.Parse(File.ReadAllBytes(manifestPath), manifestPath);

        var weightsPath = Path.Combine(directory, manifest.WeightsFile);
        if (verifyChecksum && manifest.WeightsSha256 is { } expected)
        {
            var actual = ComputeSha256(weightsPath);
            if (actual != expected)
            {
                throw new ModelPackageException(
                    $"{weightsPath}: sha256 {actual} does not match 'weights.sha256' {expected} in {ModelManifest.FileName}; the weights were changed or damaged.");
            }
        }

        var weights = SafeTensorsFile.Open(weightsPath);
        try
        {
            CheckRequiredTensors(manifest, weights);
            return new ModelPackage(directory, manifest, weights);
        }
        catch
        {
            weights.Dispose();
            throw;
        }
    }

    /// <summary>Lowercase hex sha256 of a file, streamed.</summary>
    public static string ComputeSha256(string path)
    {
        if (!File.Exists(path))
        {
            throw new ModelPackageException($"{path}: file not found.");
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static void CheckRequiredTensors(ModelManifest manifest, SafeTensorsFile weights)
    {
        var problems = new List<string>();
        foreach (var spec in manifest.Architecture.RequiredTensors(manifest.Config))
        {
            if (!weights.Tensors.TryGetValue(spec.Name, out var tensor))
            {
                problems.Add($"missing tensor '{spec.Name}' {spec.ShapeText}");
            }
            else if (!tensor.Shape.SequenceEqual(spec.Shape))
            {
                problems.Add($"tensor '{spec.Name}' has shape {tensor.ShapeText}, the config implies {spec.ShapeText}");
            }
            else if (!tensor.DType.IsFloatingPoint())
            {
                problems.Add($"tensor '{spec.Name}' is {tensor.DType.ToHeaderName()}, a floating-point dtype is required");
            }
        }
        if (problems.Count > 0)
        {
            const int shown = 8;
            var more = problems.Count > shown ? $" (and {problems.Count - shown} more)" : "";
            throw new ModelPackageException(
                $"{weights.Path}: does not fit architecture '{manifest.Architecture.Name}': {string.Join("; ", problems.Take(shown))}{more}.");
        }
    }

    public void Dispose() => Weights.Dispose();
}

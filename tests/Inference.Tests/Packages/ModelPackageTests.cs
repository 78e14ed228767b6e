using MusicSearch.Inference.Packages;
using MusicSearch.Testing;

namespace MusicSearch.Inference.Tests.Packages;

public sealed class ModelPackageTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("musicfm")]
    [InlineData("mert")]
    [InlineData("music2vec")]
    public void Complete_packages_open_with_verified_checksum(string architecture)
    {
        var manifest = architecture == "musicfm" ? TestPackages.MusicFmManifest() : TestPackages.WaveformManifest(architecture);
        TestPackages.Write(_directory.Path, manifest);
        using var package = ModelPackage.Open(_directory.Path);
        Assert.Equal(architecture, package.Manifest.Architecture.Name);
        Assert.All(package.Manifest.Architecture.RequiredTensors(package.Manifest.Config), spec => Assert.True(package.Weights.Contains(spec.Name)));
    }

    [Theory]
    [InlineData("tiny")]
    [InlineData("small")]
    public async Task Packages_exported_by_the_training_project_open_here(string config)
    {
        await ExternalTool.RunPythonModuleAsync("musicsearch_training.package", "export", "--config", config, "--seed", "1", _directory.Path);
        using var package = ModelPackage.Open(_directory.Path);
        Assert.Equal("musicfm", package.Manifest.Architecture.Name);
        Assert.Equal(24000, package.Manifest.SampleRate);
        Assert.Equal(NormalizationType.Global, package.Manifest.Normalization.Type);
        Assert.StartsWith("musicfm-" + config, package.Manifest.Version, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_required_tensor_is_named()
    {
        TestPackages.Write(_directory.Path, TestPackages.MusicFmManifest(), include: spec => spec.Name != "conformer.layers.1.conv_module.depthwise_conv.weight");
        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Open(_directory.Path));
        Assert.Contains("does not fit architecture 'musicfm': missing tensor 'conformer.layers.1.conv_module.depthwise_conv.weight' [16, 1, 5]", error.Message);
    }

    [Fact]
    public void Tensor_with_the_wrong_shape_is_named()
    {
        TestPackages.Write(_directory.Path, TestPackages.MusicFmManifest());
        // Same weights, but the config now claims a wider FFN than the tensors have.
        var manifest = TestPackages.MusicFmManifest();
        manifest["config"]!["intermediate_size"] = 48;
        manifest["weights"]!["sha256"] = ModelPackage.ComputeSha256(_directory.File("model.safetensors"));
        File.WriteAllText(_directory.File("model.json"), manifest.ToJsonString());
        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Open(_directory.Path));
        Assert.Contains("tensor 'conformer.layers.0.ffn1.intermediate_dense.weight' has shape [32, 16], the config implies [48, 16]", error.Message);
        Assert.Contains("more)", error.Message);
    }

    [Fact]
    public void Changed_weights_fail_the_checksum()
    {
        TestPackages.Write(_directory.Path, TestPackages.MusicFmManifest());
        using (var stream = File.OpenWrite(_directory.File("model.safetensors")))
        {
            stream.Seek(-1, SeekOrigin.End);
            stream.WriteByte(0x5A);
        }
        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Open(_directory.Path));
        Assert.Contains("does not match 'weights.sha256'", error.Message);
        using var unverified = ModelPackage.Open(_directory.Path, verifyChecksum: false);
        Assert.NotNull(unverified.Weights);
    }

    [Fact]
    public void Missing_folder_manifest_and_weights_give_clear_errors()
    {
        Assert.Contains("model package folder not found", Assert.Throws<ModelPackageException>(() => ModelPackage.Open(_directory.File("nope"))).Message);
        Assert.Contains("a model package needs a model.json", Assert.Throws<ModelPackageException>(() => ModelPackage.Open(_directory.Path)).Message);
        TestPackages.Write(_directory.Path, TestPackages.MusicFmManifest());
        File.Delete(_directory.File("model.safetensors"));
        Assert.Contains("file not found", Assert.Throws<ModelPackageException>(() => ModelPackage.Open(_directory.Path)).Message);
    }

    [Fact]
    public void Truncated_weights_are_reported_not_read_as_zeros()
    {
        var manifest = TestPackages.MusicFmManifest();
        TestPackages.Write(_directory.Path, manifest);
        var weights = _directory.File("model.safetensors");
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..^100]);
        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Open(_directory.Path, verifyChecksum: false));
        Assert.Contains("the file is truncated", error.Message);
    }

    [Fact]
    public void Integer_tensor_where_weights_belong_is_rejected()
    {
        var manifest = TestPackages.MusicFmManifest();
        TestPackages.Write(_directory.Path, manifest, include: spec => spec.Name != "conformer.layer_norm.bias");
        // Rewrite the weights with the missing tensor added as I32.
        var writer = new SafeTensorsWriter();
        using (var existing = SafeTensorsFile.Open(_directory.File("model.safetensors")))
        {
            foreach (var tensor in existing.Tensors.Values)
            {
                writer.Add(tensor.Name, tensor.DType, tensor.Shape.ToArray(), existing.GetBytes(tensor));
            }
        }
        writer.Add("conformer.layer_norm.bias", TensorDType.I32, [16], new byte[64]);
        writer.Save(_directory.File("model.safetensors"));
        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Open(_directory.Path, verifyChecksum: false));
        Assert.Contains("tensor 'conformer.layer_norm.bias' is I32, a floating-point dtype is required", error.Message);
    }
}

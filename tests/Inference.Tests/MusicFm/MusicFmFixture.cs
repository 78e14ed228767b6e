using MusicSearch.Inference.Backends.Cpu;
using MusicSearch.Inference.Models.MusicFm;
using MusicSearch.Inference.Packages;
using MusicSearch.Testing;

namespace MusicSearch.Inference.Tests.MusicFm;

/// <summary>
/// Random MusicFM packages exported by the training project at test time (fixed seeds, randomised norms) and
/// the PyTorch activations golden.py computes for them, plus one loaded encoder per package. The MusicFM and
/// embedding tests share it, one test at a time.
/// </summary>
public sealed class MusicFmFixture : IAsyncLifetime, IDisposable
{
    public const string Tiny = "tiny";
    public const string Small = "small";

    /// <summary>The tiny widths with 24 layers (musicfm-330m's depth is 12; 24 is the other published depth).</summary>
    public const string Deep = "tiny-24";

    // A 24-layer variant of a named config: the package CLI exports named configs only.
    private const string DeepExport = """
        import sys, torch
        from musicsearch_training.configs import get_config
        from musicsearch_training.musicfm import MusicFM
        from musicsearch_training.package import export_package, randomize_normalization_layers
        torch.manual_seed(13)
        model = MusicFM(get_config("tiny").replace(num_hidden_layers=24, embedding_layer=17))
        randomize_normalization_layers(model, torch.Generator().manual_seed(13))
        export_package(model.eval(), sys.argv[1])
        """;

    private readonly TemporaryDirectory _directory = new();
    private readonly Dictionary<string, GoldenFile> _golden = [];
    private readonly Dictionary<string, MusicFmEncoder> _encoders = [];

    public async Task InitializeAsync()
    {
        await Task.WhenAll(
            PrepareAsync(Tiny, ExternalTool.RunPythonModuleAsync("musicsearch_training.package", "export", "--config", Tiny, "--seed", "11", PackageDirectory(Tiny))),
            PrepareAsync(Small, ExternalTool.RunPythonModuleAsync("musicsearch_training.package", "export", "--config", Small, "--seed", "12", PackageDirectory(Small))),
            PrepareAsync(Deep, ExternalTool.RunAsync(RepositoryPaths.Python, ["-c", DeepExport, PackageDirectory(Deep)], RepositoryPaths.TrainingDirectory,
                new Dictionary<string, string> { ["PYTHONPATH"] = RepositoryPaths.TrainingDirectory, ["PYTHONDONTWRITEBYTECODE"] = "1" })));
        foreach (var config in new[] { Tiny, Small, Deep })
        {
            _golden[config] = new GoldenFile(SafeTensorsFile.Open(GoldenPath(config)));
        }
    }

    public string PackageDirectory(string config) => _directory.File(config);

    public GoldenFile Golden(string config) => _golden[config];

    /// <summary>The package's encoder on its own CPU backend, loaded on first use and kept for the other tests.</summary>
    public MusicFmEncoder Encoder(string config)
    {
        if (!_encoders.TryGetValue(config, out var encoder))
        {
            encoder = Load(PackageDirectory(config));
            _encoders[config] = encoder;
        }
        return encoder;
    }

    /// <summary>Opens a package and builds its encoder, as a host would.</summary>
    public static MusicFmEncoder Load(string directory)
    {
        using var package = ModelPackage.Open(directory);
        var backend = new CpuBackend();
        try
        {
            return new MusicFmEncoder(package, backend);
        }
        catch
        {
            backend.Dispose();
            throw;
        }
    }

    // xunit disposes a fixture through both interfaces; the cleanup lives in Dispose.
    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var encoder in _encoders.Values)
        {
            encoder.Dispose();
        }
        foreach (var golden in _golden.Values)
        {
            golden.Dispose();
        }
        _directory.Dispose();
    }

    private string GoldenPath(string config) => _directory.File(config + ".golden.safetensors");

    private async Task PrepareAsync(string config, Task export)
    {
        await export;
        await ExternalTool.RunPythonModuleAsync("musicsearch_training.golden", PackageDirectory(config), GoldenPath(config), "--seed", "5");
    }
}

[CollectionDefinition(Name)]
public sealed class MusicFmTestGroup : ICollectionFixture<MusicFmFixture>
{
    public const string Name = "MusicFM against PyTorch";
}

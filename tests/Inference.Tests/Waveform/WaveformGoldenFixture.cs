using System.Globalization;
using MusicSearch.Inference.Backends.Cpu;
using MusicSearch.Inference.Models.Waveform;
using MusicSearch.Inference.Packages;
using MusicSearch.Testing;

namespace MusicSearch.Inference.Tests.Waveform;

/// <summary>
/// Random packages of the three tiny waveform configs (post-LN MERT, pre-LN MERT, music2vec), exported by the
/// training project with fixed seeds, their golden activations from <c>musicsearch_training.golden</c>, and one
/// loaded encoder per package, made once for all waveform tests.
/// </summary>
public sealed class WaveformGoldenFixture : IAsyncLifetime, IDisposable
{
    public const string Mert = "mert-tiny";
    public const string MertPreNorm = "mert-tiny-stable";
    public const string Music2Vec = "music2vec-tiny";

    private const int PackageSeed = 11;
    private const int GoldenSeed = 7;

    private TemporaryDirectory? _directory;
    private readonly Dictionary<string, WaveformModel> _models = [];

    public static TheoryData<string> Configs => [Mert, MertPreNorm, Music2Vec];

    public WaveformModel this[string config] => _models[config];

    public async Task InitializeAsync()
    {
        string[] configs = [Mert, MertPreNorm, Music2Vec];
        _directory = new TemporaryDirectory();
        // One Python process per step and config; the three configs run side by side.
        await Task.WhenAll(configs.Select(GenerateAsync));
        foreach (var config in configs)
        {
            _models[config] = Load(config);
        }
    }

    public string PackageDirectory(string config) => Directory.File(config);

    private async Task GenerateAsync(string config)
    {
        var seed = PackageSeed.ToString(CultureInfo.InvariantCulture);
        await ExternalTool.RunPythonModuleAsync("musicsearch_training.package", "export", "--config", config, "--seed", seed, PackageDirectory(config));
        await ExternalTool.RunPythonModuleAsync("musicsearch_training.golden", PackageDirectory(config), GoldenPath(config),
            "--seed", GoldenSeed.ToString(CultureInfo.InvariantCulture));
    }

    private WaveformModel Load(string config)
    {
        using var package = ModelPackage.Open(PackageDirectory(config));
        var encoder = new WaveformTransformerEncoder(package, new CpuBackend());
        return new WaveformModel(encoder, SafeTensorsFile.Open(GoldenPath(config)));
    }

    private string GoldenPath(string config) => Directory.File(config + ".golden.safetensors");

    private TemporaryDirectory Directory => _directory ?? throw new InvalidOperationException("The fixture was not initialised.");

    // Everything to release is synchronous; xunit calls Dispose after this.
    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var model in _models.Values)
        {
            model.Dispose();
        }
        _directory?.Dispose();
    }
}

/// <summary>A loaded encoder and the golden file of its package.</summary>
public sealed class WaveformModel(WaveformTransformerEncoder encoder, SafeTensorsFile golden) : IDisposable
{
    public WaveformTransformerEncoder Encoder { get; } = encoder;

    public SafeTensorsFile Golden { get; } = golden;

    public int Cases => int.Parse(Golden.Metadata["num_cases"], CultureInfo.InvariantCulture);

    /// <summary>The package's embedding layer, the hidden state golden.py pools.</summary>
    public int Layer => int.Parse(Golden.Metadata["layer"], CultureInfo.InvariantCulture);

    public float[] Floats(int testCase, string name) => Golden.ReadAsFloat32($"case{testCase}.{name}");

    public double[] Doubles(int testCase, string name) => Array.ConvertAll(Floats(testCase, name), v => (double)v);

    /// <summary>The intermediates golden.py wrote for a case: every name but the input and the pooled embedding.</summary>
    public IEnumerable<string> IntermediateNames(int testCase)
    {
        var prefix = $"case{testCase}.";
        return Golden.Tensors.Keys.Where(name => name.StartsWith(prefix, StringComparison.Ordinal))
            .Select(name => name[prefix.Length..])
            .Where(name => name is not ("wav" or "embedding"));
    }

    public void Dispose()
    {
        Encoder.Dispose();
        Golden.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class WaveformTestGroup : ICollectionFixture<WaveformGoldenFixture>
{
    public const string Name = "Waveform encoders against PyTorch";
}

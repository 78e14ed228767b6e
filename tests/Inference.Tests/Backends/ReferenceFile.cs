using System.Text.Json;
using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Packages;
using MusicSearch.Inference.Tensors;
using MusicSearch.Testing;
using Xunit.Abstractions;

namespace MusicSearch.Inference.Tests.Backends;

/// <summary>
/// The cases a Python script in tests/Inference.Tests/Reference wrote: tensors "&lt;case&gt;.&lt;name&gt;" and, per
/// case, a metadata entry with its parameters as JSON.
/// </summary>
public sealed class ReferenceFile : IDisposable
{
    private readonly TemporaryDirectory _directory;
    private readonly SafeTensorsFile _file;

    private ReferenceFile(TemporaryDirectory directory, SafeTensorsFile file)
    {
        _directory = directory;
        _file = file;
    }

    /// <summary>Runs <c>Reference/<paramref name="script"/> OUT.safetensors</c> with the training package on PYTHONPATH.</summary>
    public static async Task<ReferenceFile> GenerateAsync(string script)
    {
        var directory = new TemporaryDirectory();
        try
        {
            var path = directory.File("reference.safetensors");
            await RunScriptAsync(script, path);
            return new ReferenceFile(directory, SafeTensorsFile.Open(path));
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    public static Task<string> RunScriptAsync(string script, params IEnumerable<string> arguments) =>
        ExternalTool.RunAsync(RepositoryPaths.Python,
            [Path.Combine(RepositoryPaths.Root, "tests", "Inference.Tests", "Reference", script), .. arguments],
            RepositoryPaths.TrainingDirectory,
            new Dictionary<string, string> { ["PYTHONPATH"] = RepositoryPaths.TrainingDirectory, ["PYTHONDONTWRITEBYTECODE"] = "1" });

    /// <summary>Case names whose "op" is <paramref name="op"/>, in file order.</summary>
    public IReadOnlyList<string> Cases(string op) =>
        _file.Metadata.Where(entry => Parameters(entry.Key).GetProperty("op").GetString() == op)
            .Select(entry => entry.Key).Order(StringComparer.Ordinal).ToList();

    public JsonElement Parameters(string caseName)
    {
        using var document = JsonDocument.Parse(_file.Metadata[caseName]);
        return document.RootElement.Clone();
    }

    public bool Has(string caseName, string tensor) => _file.Contains($"{caseName}.{tensor}");

    public TensorShape Shape(string caseName, string tensor) => TensorShape.Of(_file.Get($"{caseName}.{tensor}").Shape);

    public float[] Floats(string caseName, string tensor) => _file.ReadAsFloat32($"{caseName}.{tensor}");

    /// <summary>A tensor widened to double (float64 references keep their precision).</summary>
    public double[] Doubles(string caseName, string tensor)
    {
        var name = $"{caseName}.{tensor}";
        return _file.Get(name).DType == TensorDType.F64
            ? _file.GetSpan<double>(name).ToArray()
            : Array.ConvertAll(_file.ReadAsFloat32(name), v => (double)v);
    }

    /// <summary>Uploads a tensor into a workspace tensor of its stored shape.</summary>
    public Tensor Load(IComputeBackend backend, Workspace workspace, string caseName, string tensor)
    {
        var values = Floats(caseName, tensor);
        var result = workspace.Allocate(Shape(caseName, tensor));
        backend.Upload(values, result);
        return result;
    }

    public void Dispose()
    {
        _file.Dispose();
        _directory.Dispose();
    }
}

/// <summary>Error of an fp32 result against a reference, as the tests report it.</summary>
public readonly record struct Deviation(double MaxAbsolute, double MaxReference)
{
    /// <summary>max|actual − expected| / max|expected|: the tests' criterion is ≤ 1e-4.</summary>
    public double Relative => MaxReference == 0 ? MaxAbsolute : MaxAbsolute / MaxReference;

    public static Deviation Of(ReadOnlySpan<float> actual, ReadOnlySpan<double> expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double error = 0, reference = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            var difference = Math.Abs(actual[i] - expected[i]);
            error = double.IsNaN(difference) ? double.PositiveInfinity : Math.Max(error, difference);
            reference = Math.Max(reference, Math.Abs(expected[i]));
        }
        return new Deviation(error, reference);
    }

    public override string ToString() => $"max|err| {MaxAbsolute:E2} = {Relative:E2} of max|ref| {MaxReference:G4}";
}

/// <summary>Runs each case of a reference op and asserts every one within tolerance, reporting all errors.</summary>
public static class ReferenceChecks
{
    public const double Tolerance = 1e-4;

    public static void CheckAll(ITestOutputHelper output, ReferenceFile reference, string op, Func<string, float[]> run,
        double tolerance = Tolerance)
    {
        var cases = reference.Cases(op);
        Assert.NotEmpty(cases);
        var failures = new List<string>();
        foreach (var name in cases)
        {
            var deviation = Deviation.Of(run(name), reference.Doubles(name, "expected"));
            output.WriteLine($"{name}: {deviation}");
            if (!(deviation.Relative <= tolerance))
            {
                failures.Add($"{name}: {deviation}");
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    /// <summary>The backend's copy of a tensor, as host floats.</summary>
    public static float[] Read(IComputeBackend backend, Tensor tensor)
    {
        var values = new float[tensor.ElementCount];
        backend.Download(tensor, values);
        return values;
    }
}

using System.Text.Json;
using MusicSearch.Testing;

namespace MusicSearch.Indexer.Tests;

public sealed class BenchCommandTests : IDisposable
{
    private readonly TemporaryDirectory _temporary = new();

    public void Dispose() => _temporary.Dispose();

    [Fact]
    public async Task Bench_compares_the_engine_with_the_pytorch_reference_on_one_package()
    {
        var package = _temporary.File("tiny");
        var report = _temporary.File("bench.json");
        await ExternalTool.RunPythonModuleAsync("musicsearch_training.package", "export", "--config", "tiny", "--seed", "2", package);

        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await Program.BuildCommandLine(output, error)
            .Parse(["bench", "--package", package, "--seconds", "2", "--repeats", "1", "--threads", "1", "--json", report])
            .InvokeAsync();

        Assert.True(exit == 0, error.ToString());
        Assert.Contains("sgemm peak", output.ToString());
        Assert.Contains("ratio", output.ToString());
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        var bench = json.RootElement.GetProperty("Packages")[0];
        Assert.True(bench.GetProperty("Engine").GetProperty("WindowsPerSecond").GetDouble() > 0);
        Assert.True(bench.GetProperty("Reference").GetProperty("MultiplyAddsPerWindow").GetInt64() > 0);
        Assert.True(bench.GetProperty("Ratio").GetDouble() > 0);
    }

    [Fact]
    public async Task Bench_profile_lists_the_ops_of_a_pass_by_time()
    {
        var package = _temporary.File("tiny");
        var report = _temporary.File("bench.json");
        await ExternalTool.RunPythonModuleAsync("musicsearch_training.package", "export", "--config", "tiny", "--seed", "3", package);

        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await Program.BuildCommandLine(output, error)
            .Parse(["bench", "--package", package, "--seconds", "2", "--repeats", "2", "--threads", "1", "--no-reference", "--profile", "--json", report])
            .InvokeAsync();

        Assert.True(exit == 0, error.ToString());
        Assert.Contains("StftPower", output.ToString());
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        var profile = json.RootElement.GetProperty("Packages")[0].GetProperty("Profile");
        var ops = profile.GetProperty("Ops").EnumerateArray().ToList();
        Assert.Contains(ops, op => op.GetProperty("Op").GetString()!.StartsWith("Conv2d 3×3 s2", StringComparison.Ordinal));
        var seconds = ops.Select(op => op.GetProperty("Seconds").GetDouble()).ToList();
        Assert.Equal(seconds.OrderByDescending(value => value), seconds);
        Assert.True(seconds.Sum() <= profile.GetProperty("PassSeconds").GetDouble() * 1.5);
    }

    [Fact]
    public async Task Bench_rejects_a_missing_package_with_exit_code_2()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await Program.BuildCommandLine(output, error)
            .Parse(["bench", "--package", _temporary.File("absent"), "--no-reference"]).InvokeAsync();
        Assert.Equal(2, exit);
        Assert.Contains("model package folder not found", error.ToString());
    }
}

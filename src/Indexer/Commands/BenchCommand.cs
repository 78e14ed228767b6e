using System.CommandLine;
using System.Text.Json;
using MusicSearch.Indexer.Commands.Bench;
using MusicSearch.Inference.Backends.Cpu;
using MusicSearch.Inference.Models;
using MusicSearch.Inference.Packages;
using Spectre.Console;

namespace MusicSearch.Indexer.Commands;

/// <summary>
/// <c>musicsearch bench --package DIR [--package DIR …]</c>: embeds the same fixed windows with this engine and
/// with the PyTorch reference (same package, window, batch and thread count, OpenBLAS under both) in one run,
/// and reports windows/s, the ratio, achieved GFLOP/s against the measured sgemm peak, and memory per window.
/// </summary>
internal static class BenchCommand
{
    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    public static Command Create(TextWriter output, TextWriter error)
    {
        var packages = new Option<DirectoryInfo[]>("--package") { Description = "Model package folder(s) to benchmark.", Required = true, AllowMultipleArgumentsPerToken = true };
        var seconds = new Option<double>("--seconds") { Description = "Window length in seconds.", DefaultValueFactory = _ => 30 };
        var batch = new Option<int>("--batch") { Description = "Windows per forward pass.", DefaultValueFactory = _ => 1 };
        var repeats = new Option<int>("--repeats") { Description = "Timed forward passes per engine (after one warm-up).", DefaultValueFactory = _ => 3 };
        var threads = new Option<int>("--threads") { Description = "Threads for both engines.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var noReference = new Option<bool>("--no-reference") { Description = "Skip the PyTorch reference." };
        var json = new Option<FileInfo?>("--json") { Description = "Also write every number to this JSON file." };
        var command = new Command("bench", "Compare this engine with the PyTorch reference on fixed windows.")
        {
            packages, seconds, batch, repeats, threads, noReference, json,
        };
        command.Subcommands.Add(VectorBenchCommand.Create(output, error));
        command.SetAction(async (parse, token) =>
        {
            var settings = new BenchSettings(parse.GetValue(seconds), parse.GetValue(batch), parse.GetValue(repeats), parse.GetValue(threads));
            if (settings.Seconds <= 0 || settings.Batch < 1 || settings.Repeats < 1 || settings.Threads < 1)
            {
                await error.WriteLineAsync("error: --seconds, --batch, --repeats and --threads must be positive");
                return 2;
            }
            return await OperatorErrors.RunAsync(error, async () =>
            {
                var report = await RunAsync(parse.GetValue(packages)!, settings, !parse.GetValue(noReference), output, token);
                if (parse.GetValue(json) is { } file)
                {
                    await File.WriteAllTextAsync(file.FullName, JsonSerializer.Serialize(report, IndentedJson), token);
                }
            });
        });
        return command;
    }

    private static async Task<BenchReport> RunAsync(DirectoryInfo[] packages, BenchSettings settings, bool withReference, TextWriter output,
        CancellationToken cancellationToken)
    {
        var console = CliConsole.For(output);
        var peak = SgemmPeak.Measure(settings.Threads);
        console.MarkupLine($"sgemm peak ({settings.Threads} threads, {Markup.Escape(CpuBackend.BlasConfiguration)}): [bold]{peak.GflopsPerSecond:F1}[/] GFLOP/s at {peak.Shape}");

        var results = new List<PackageBench>();
        var table = new Table().AddColumns("package", "engine", "windows/s", "s/batch", "GFLOP/s", "% of sgemm peak", "memory per window");
        foreach (var directory in packages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var ours = EngineRun.Measure(directory.FullName, settings);
            var reference = withReference ? await ReferenceRun.MeasureAsync(directory.FullName, settings, cancellationToken) : null;
            var multiplyAdds = reference?.MultiplyAddsPerWindow;
            var bench = new PackageBench(ours.Version, ours, reference, multiplyAdds is { } macs ? 2.0 * macs * ours.WindowsPerSecond / 1e9 : null,
                reference is null ? null : ours.WindowsPerSecond / reference.WindowsPerSecond);
            results.Add(bench);

            table.AddRow(Markup.Escape(ours.Version), "musicsearch (C#)", $"{ours.WindowsPerSecond:F3}", $"{ours.SecondsPerBatch:F3}",
                bench.GflopsPerSecond is { } gflops ? $"{gflops:F1}" : "–",
                bench.GflopsPerSecond is { } achieved ? $"{100 * achieved / peak.GflopsPerSecond:F0} %" : "–",
                $"{ours.WorkspaceBytesPerWindow / 1048576.0:F0} MiB activations + {ours.WeightBytes / 1048576.0:F0} MiB weights");
            if (reference is not null)
            {
                table.AddRow("", Markup.Escape(reference.Engine), $"{reference.WindowsPerSecond:F3}", $"{reference.SecondsPerBatch:F3}",
                    $"{2.0 * reference.MultiplyAddsPerWindow * reference.WindowsPerSecond / 1e9:F1}", "", $"{reference.PeakRssBytes / 1048576.0:F0} MiB process peak");
                table.AddRow("", "[bold]ratio[/]", $"[bold]{bench.Ratio:F2}×[/]", "", "", "", "");
            }
        }
        console.Write(table);
        return new BenchReport(settings, peak, results);
    }
}

internal sealed record BenchSettings(double Seconds, int Batch, int Repeats, int Threads)
{
    public int Samples(int sampleRate) => (int)Math.Round(Seconds * sampleRate);
}

internal sealed record BenchReport(BenchSettings Settings, SgemmPeak SgemmPeak, IReadOnlyList<PackageBench> Packages);

internal sealed record PackageBench(string Version, EngineRun Engine, ReferenceRun? Reference, double? GflopsPerSecond, double? Ratio);

/// <summary>The best sgemm rate of this machine over shapes the models use, through the backend's own GEMM.</summary>
internal sealed record SgemmPeak(double GflopsPerSecond, string Shape)
{
    public static SgemmPeak Measure(int threads)
    {
        using var backend = new CpuBackend(threads);
        using var workspace = backend.CreateWorkspace();
        (int M, int K, int N)[] shapes = [(1024, 1024, 1024), (2048, 2048, 2048), (750, 1024, 4096)];
        var best = new SgemmPeak(0, "");
        foreach (var (m, k, n) in shapes)
        {
            var random = new Random(m + k + n);
            var layer = backend.PrepareLinear(Values(random, n * k), default, n, k);
            var input = workspace.Allocate(m, k);
            backend.Upload(Values(random, m * k), input);
            var result = workspace.Allocate(m, n);
            var seconds = Timing.Best(() => backend.Linear(input, layer, result), repeats: 3);
            var gflops = 2.0 * m * n * k / seconds / 1e9;
            if (gflops > best.GflopsPerSecond)
            {
                best = new SgemmPeak(gflops, $"{m}×{k}·{k}×{n}");
            }
        }
        return best;
    }

    private static float[] Values(Random random, int count)
    {
        var values = new float[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = random.NextSingle() - 0.5f;
        }
        return values;
    }
}

/// <summary>This engine on fixed windows: the whole encoder (every hidden state), as the reference runs it.</summary>
internal sealed record EngineRun(string Version, double SecondsPerBatch, double WindowsPerSecond, long WorkspaceBytesPerWindow, long WeightBytes)
{
    public static EngineRun Measure(string packageDirectory, BenchSettings settings)
    {
        using var package = ModelPackage.Open(packageDirectory, verifyChecksum: false);
        var weightBytes = new FileInfo(package.Weights.Path).Length;
        using var encoder = EncoderFactory.Create(package, new CpuBackend(settings.Threads));
        using var workspace = encoder.Backend.CreateWorkspace();
        var samples = settings.Samples(package.Manifest.SampleRate);
        var random = new Random(0);
        var host = new float[settings.Batch * samples];
        for (var i = 0; i < host.Length; i++)
        {
            host[i] = (random.NextSingle() - 0.5f) * 0.2f;
        }

        void Forward()
        {
            workspace.Reset();
            var waveforms = workspace.Allocate(settings.Batch, samples);
            encoder.Backend.Upload(host, waveforms);
            encoder.Forward(waveforms, encoder.HiddenStateCount - 1, workspace, static (_, _) => { });
        }

        var seconds = Timing.Best(Forward, settings.Repeats);
        return new EngineRun(package.Manifest.Version, seconds, settings.Batch / seconds, workspace.PeakBytes / settings.Batch, weightBytes);
    }
}

/// <summary>The PyTorch reference (<c>musicsearch_training.bench</c>) run with Debian's interpreter on the same package.</summary>
internal sealed record ReferenceRun(string Engine, double SecondsPerBatch, double WindowsPerSecond, long MultiplyAddsPerWindow, long PeakRssBytes)
{
    public static async Task<ReferenceRun> MeasureAsync(string packageDirectory, BenchSettings settings, CancellationToken cancellationToken)
    {
        using var report = await TrainingProject.RunModuleAsync("musicsearch_training.bench", "the PyTorch reference",
            [packageDirectory, "--seconds", $"{settings.Seconds}", "--batch", $"{settings.Batch}", "--repeats", $"{settings.Repeats}",
                "--threads", $"{settings.Threads}"], cancellationToken);
        var root = report.RootElement;
        return new ReferenceRun(root.GetProperty("engine").GetString()!, root.GetProperty("seconds_per_batch_best").GetDouble(),
            root.GetProperty("windows_per_second_best").GetDouble(), root.GetProperty("multiply_adds_per_window").GetInt64(),
            root.GetProperty("peak_rss_bytes").GetInt64());
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using MusicSearch.Indexer.Commands.Bench;
using MusicSearch.Indexer.Commands.Bench.Api;
using MusicSearch.Inference.Backends;
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
        var profile = new Option<bool>("--profile") { Description = "Also time every op of one more pass and list where the time goes." };
        var command = new Command("bench", "Compare this engine with the PyTorch reference on fixed windows.")
        {
            packages, seconds, batch, repeats, threads, noReference, json, profile,
        };
        command.Subcommands.Add(VectorBenchCommand.Create(output, error));
        command.Subcommands.Add(ApiBenchCommand.Create(output, error));
        command.SetAction(async (parse, token) =>
        {
            var settings = new BenchSettings(parse.GetValue(seconds), parse.GetValue(batch), parse.GetValue(repeats), parse.GetValue(threads),
                parse.GetValue(profile));
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
            var profile = settings.Profile ? OpProfile.Measure(directory.FullName, settings) : null;
            var bench = new PackageBench(ours.Version, ours, reference, multiplyAdds is { } macs ? 2.0 * macs * ours.WindowsPerSecond / 1e9 : null,
                reference is null ? null : ours.WindowsPerSecond / reference.WindowsPerSecond, profile);
            results.Add(bench);
            if (profile is not null)
            {
                console.Write(profile.ToTable(ours.Version));
            }

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

internal sealed record BenchSettings(double Seconds, int Batch, int Repeats, int Threads, bool Profile = false)
{
    public int Samples(int sampleRate) => (int)Math.Round(Seconds * sampleRate);
}

internal sealed record BenchReport(BenchSettings Settings, SgemmPeak SgemmPeak, IReadOnlyList<PackageBench> Packages);

internal sealed record PackageBench(string Version, EngineRun Engine, ReferenceRun? Reference, double? GflopsPerSecond, double? Ratio, OpProfile? Profile);

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

/// <summary>A package's encoder on a backend, with fixed windows to embed: the whole encoder (every hidden state), as the reference runs it.</summary>
internal sealed class FixedWindowRun : IDisposable
{
    private readonly IAudioEncoder _encoder;
    private readonly Workspace _workspace;
    private readonly float[] _windows;
    private readonly int _batch;
    private readonly int _samples;

    public FixedWindowRun(ModelPackage package, IComputeBackend backend, BenchSettings settings)
    {
        _encoder = EncoderFactory.Create(package, backend);
        _workspace = backend.CreateWorkspace();
        _batch = settings.Batch;
        _samples = settings.Samples(package.Manifest.SampleRate);
        var random = new Random(0);
        _windows = new float[_batch * _samples];
        for (var i = 0; i < _windows.Length; i++)
        {
            _windows[i] = (random.NextSingle() - 0.5f) * 0.2f;
        }
    }

    public long WorkspacePeakBytes => _workspace.PeakBytes;

    public void Forward()
    {
        _workspace.Reset();
        var waveforms = _workspace.Allocate(_batch, _samples);
        _encoder.Backend.Upload(_windows, waveforms);
        _encoder.Forward(waveforms, _encoder.HiddenStateCount - 1, _workspace, static (_, _) => { });
    }

    public void Dispose()
    {
        _workspace.Dispose();
        _encoder.Dispose();
    }
}

/// <summary>This engine on fixed windows.</summary>
internal sealed record EngineRun(string Version, double SecondsPerBatch, double WindowsPerSecond, long WorkspaceBytesPerWindow, long WeightBytes)
{
    public static EngineRun Measure(string packageDirectory, BenchSettings settings)
    {
        using var package = ModelPackage.Open(packageDirectory, verifyChecksum: false);
        var weightBytes = new FileInfo(package.Weights.Path).Length;
        using var run = new FixedWindowRun(package, new CpuBackend(settings.Threads), settings);
        var seconds = Timing.Best(run.Forward, settings.Repeats);
        return new EngineRun(package.Manifest.Version, seconds, settings.Batch / seconds, run.WorkspacePeakBytes / settings.Batch, weightBytes);
    }
}

/// <summary>
/// Where a forward pass spends its time, per op and shapes: after a warm-up, <see cref="BenchSettings.Repeats"/>
/// profiled passes, each op's least time of them (the least disturbed on a shared machine).
/// </summary>
internal sealed record OpProfile(double PassSeconds, IReadOnlyList<OpProfileEntry> Ops)
{
    private const int Rows = 30;

    public static OpProfile Measure(string packageDirectory, BenchSettings settings)
    {
        using var package = ModelPackage.Open(packageDirectory, verifyChecksum: false);
        var backend = new ProfilingBackend(new CpuBackend(settings.Threads));
        using var run = new FixedWindowRun(package, backend, settings);
        run.Forward();
        var pass = double.MaxValue;
        var least = new Dictionary<string, OpProfileEntry>();
        for (var repeat = 0; repeat < settings.Repeats; repeat++)
        {
            backend.Clear();
            var clock = Stopwatch.StartNew();
            run.Forward();
            pass = Math.Min(pass, clock.Elapsed.TotalSeconds);
            foreach (var (op, time) in backend.Times)
            {
                if (!least.TryGetValue(op, out var entry) || time.Total.TotalSeconds < entry.Seconds)
                {
                    least[op] = new OpProfileEntry(op, time.Calls, time.Total.TotalSeconds);
                }
            }
        }
        return new OpProfile(pass, least.Values.OrderByDescending(entry => entry.Seconds).ToList());
    }

    public Table ToTable(string version)
    {
        var table = new Table().AddColumns("op (input → output)", "calls", "ms", "% of pass");
        table.Title = new TableTitle($"{Markup.Escape(version)}: fastest pass {PassSeconds * 1000:F0} ms, {Ops.Sum(op => op.Seconds) * 1000:F0} ms in ops (least of each)");
        foreach (var op in Ops.Take(Rows))
        {
            table.AddRow(Markup.Escape(op.Op), $"{op.Calls}", $"{op.Seconds * 1000:F1}", $"{100 * op.Seconds / PassSeconds:F1}");
        }
        return table;
    }
}

internal sealed record OpProfileEntry(string Op, int Calls, double Seconds);

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

using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using MusicSearch.Core.Audio;
using MusicSearch.Inference.Backends.Cpu;
using MusicSearch.Inference.Embedding;
using MusicSearch.Inference.Models;
using MusicSearch.Inference.Models.Classical;
using Spectre.Console;

namespace MusicSearch.Indexer.Commands;

/// <summary>
/// <c>musicsearch package classical SOURCE OUT</c>: builds a classical-features package (docs/model-package.md) whose
/// standardisation statistics are fitted on SOURCE, a manifest or folder of training audio: the raw feature statistics
/// of every window (up to <c>--max-windows</c> per track, spread over it) are the samples.
/// </summary>
internal static class ClassicalFitCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var source = new Argument<string>("source") { Description = "Training audio: a manifest CSV or a folder (never the corpus you will evaluate on)." };
        var target = new Argument<DirectoryInfo>("out") { Description = "The package folder to write." };
        var maxWindows = new Option<int>("--max-windows") { Description = "Windows per track at most (0 = all).", DefaultValueFactory = _ => 20 };
        var version = new Option<string?>("--version") { Description = "Package version (default: classical- and a hash of the statistics)." };
        var threads = new Option<int>("--threads") { Description = "Compute threads (0 = one per core).", DefaultValueFactory = _ => 0 };
        var command = new Command("classical", "Fit the classical-features baseline's standardisation on training audio and write its package.")
        {
            source, target, maxWindows, version, threads,
        };
        command.SetAction((parse, token) => OperatorErrors.RunAsync(error, async () =>
        {
            if (parse.GetValue(maxWindows) < 0 || parse.GetValue(threads) < 0)
            {
                throw new ArgumentException("--max-windows and --threads must be at least 0");
            }
            var console = CliConsole.For(output);
            var listing = await IndexCommand.ListAsync(console, parse.GetValue(source)!, token);
            IndexCommand.ReportProblems(console, listing.Problems);
            var settings = new ClassicalSettings();
            var windowLimit = parse.GetValue(maxWindows) is > 0 and var limit ? limit : (int?)null;
            var (fit, failures) = await FitAsync(console, listing.Tracks.Select(t => t.AudioUri).ToArray(), settings, windowLimit, parse.GetValue(threads), token);
            if (fit.Count == 0)
            {
                throw new InvalidDataException("no window could be embedded: there is nothing to fit the statistics on");
            }
            var (mean, std) = fit.Result();
            var name = parse.GetValue(version) ?? "classical-" + Convert.ToHexStringLower(SHA256.HashData(
                [.. MemoryMarshal.AsBytes(mean.AsSpan()), .. MemoryMarshal.AsBytes(std.AsSpan())]))[..8];
            var directory = parse.GetValue(target)!.FullName;
            ClassicalPackage.Write(directory, name, settings, mean, std, new Dictionary<string, string>
            {
                ["standardization"] = $"per-dimension mean and population std of {fit.Count} windows",
                ["fitted_on"] = Path.GetFullPath(parse.GetValue(source)!),
                ["tracks"] = (listing.Tracks.Count - failures).ToString(CultureInfo.InvariantCulture),
                ["max_windows_per_track"] = windowLimit?.ToString(CultureInfo.InvariantCulture) ?? "all",
                ["created"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            });
            console.MarkupLine($"package {Markup.Escape(name)} ({settings.Dimensions} dimensions) written to {Markup.Escape(directory)}: " +
                $"statistics of {fit.Count} windows from {listing.Tracks.Count - failures} tracks, {failures} failed");
        }));
        return command;
    }

    private static async Task<(StandardizationFit Fit, int Failures)> FitAsync(IAnsiConsole console, string[] audio, ClassicalSettings settings,
        int? maxWindows, int threads, CancellationToken cancellationToken)
    {
        var fit = new StandardizationFit(settings.Dimensions);
        var failures = 0;
        var draft = Path.Combine(Path.GetTempPath(), "musicsearch-classical-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (mean, std) = StandardizationFit.Identity(settings.Dimensions);
            ClassicalPackage.Write(draft, "classical-draft", settings, mean, std);
            using var encoder = EncoderFactory.Load(draft, new CpuBackend(threads));
            using var embedder = new AudioEmbedder(encoder, batchSize: 4);
            var decoder = new AudioDecoder(new AudioDecoderOptions { RejectDecoderErrors = false });
            await console.Progress().StartAsync(async context =>
            {
                var task = context.AddTask("fitting standardisation", maxValue: audio.Length);
                await Parallel.ForEachAsync(audio, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount), CancellationToken = cancellationToken },
                    async (uri, token) =>
                    {
                        try
                        {
                            var samples = await decoder.DecodeAsync(new Uri(uri).LocalPath, settings.SampleRate, cancellationToken: token);
                            var embedding = await embedder.EmbedAsync(samples.Samples, new EmbeddingOptions { MaxWindows = maxWindows }, token);
                            lock (fit)
                            {
                                foreach (var window in embedding.Windows)
                                {
                                    fit.Add(window.Mean);
                                }
                            }
                        }
                        catch (Exception failure) when (failure is AudioException or ArgumentException)
                        {
                            Interlocked.Increment(ref failures);
                        }
                        task.Increment(1);
                    });
            });
        }
        finally
        {
            if (Directory.Exists(draft))
            {
                Directory.Delete(draft, recursive: true);
            }
        }
        return (fit, failures);
    }
}

using System.CommandLine;
using System.Diagnostics;
using MusicSearch.Core.Audio;
using MusicSearch.Inference.Backends.Cpu;
using MusicSearch.Inference.Embedding;
using MusicSearch.Inference.Models;

namespace MusicSearch.Indexer.Commands;

/// <summary>
/// <c>musicsearch embed FILE --package DIR [--layer L] [--max-windows N] [--batch-size B] [--json]</c>: embeds one
/// file exactly as the indexer will (same decoder, same embedding pipeline) and prints the windows, the vector's
/// norm and where the time went.
/// </summary>
internal static class EmbedCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<FileInfo>("file") { Description = "An audio file." };
        var package = new Option<DirectoryInfo>("--package") { Description = "The model package folder (model.json + weights).", Required = true };
        var layer = new Option<int?>("--layer") { Description = "Hidden state to mean-pool (default: the package's embedding layer)." };
        var maxWindows = new Option<int?>("--max-windows") { Description = "Embed at most this many windows, spread evenly over the track." };
        var batchSize = new Option<int>("--batch-size") { Description = "Windows of equal length per forward pass.", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print JSON, the vector included, instead of a table." };
        var command = new Command("embed", "Embed an audio file with a model package and summarise the result.")
        {
            file, package, layer, maxWindows, batchSize, json,
        };
        command.SetAction((parse, token) => OperatorErrors.RunAsync(error, async () =>
        {
            var options = new EmbeddingOptions { Layer = parse.GetValue(layer), MaxWindows = parse.GetValue(maxWindows) };
            var result = await EmbedAsync(parse.GetValue(file)!.FullName, parse.GetValue(package)!.FullName, options, parse.GetValue(batchSize), token);
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(EmbedReport.ToJson(result));
            }
            else
            {
                EmbedReport.WriteTable(CliConsole.For(output), result);
            }
        }));
        return command;
    }

    private static async Task<EmbedResult> EmbedAsync(string path, string packageDirectory, EmbeddingOptions options, int batchSize, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        // The package first: a bad one fails before any decoding.
        using var encoder = EncoderFactory.Load(packageDirectory, new CpuBackend());
        using var embedder = new AudioEmbedder(encoder, batchSize);
        var load = clock.Elapsed;

        clock.Restart();
        var audio = await new AudioDecoder(new AudioDecoderOptions()).DecodeAsync(path, embedder.SampleRate, cancellationToken: cancellationToken);
        var decode = clock.Elapsed;

        clock.Restart();
        var embedding = await embedder.EmbedAsync(audio.Samples, options, cancellationToken);
        return new EmbedResult(path, embedding, load, decode, clock.Elapsed, embedder.ForwardPassCount, embedder.WorkspacePeakBytes);
    }
}

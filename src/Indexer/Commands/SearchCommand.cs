using System.CommandLine;
using System.Text.Json;
using MusicSearch.Core.Audio;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;
using MusicSearch.Inference.Backends.Cpu;
using MusicSearch.Inference.Embedding;
using MusicSearch.Inference.Models;
using Spectre.Console;

namespace MusicSearch.Indexer.Commands;

/// <summary>
/// <c>musicsearch search (TRACK-ID | AUDIO-FILE) [filters…]</c>: tracks that sound like a catalog track or like an audio
/// file (embedded with the collection's model package, as the indexer does), with the same filters as the API. For an
/// audio file, <c>--windows</c> also shows which window of which track is closest.
/// </summary>
internal static class SearchCommand
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    public static Command Create(TextWriter output, TextWriter error)
    {
        var seed = new Argument<string>("seed") { Description = "A track id of the catalog, or an audio file." };
        var package = new Option<DirectoryInfo?>("--package") { Description = "Model package to embed an audio file with (must be the collection's model)." };
        var windows = new Option<bool>("--windows") { Description = "For an audio file: also list the closest windows." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var store = new StoreLocation();
        var similarity = new SimilarityOptions();
        var command = new Command("search", "Find the tracks that sound most like a catalog track or an audio file.") { seed, package, windows, json };
        store.AddTo(command);
        similarity.AddTo(command);
        command.SetAction((parse, token) => OperatorErrors.RunAsync(error, async () =>
        {
            await using var collections = store.Open(parse);
            var collection = await store.CollectionAsync(collections, parse, token);
            var text = parse.GetValue(seed)!;
            IReadOnlyList<WindowMatch>? windowMatches = null;
            QueryExample example;
            if (File.Exists(text))
            {
                var vectors = await EmbedFileAsync(text, parse.GetValue(package), collection.Info, token);
                example = QueryExample.OfVector(vectors.Vector);
                if (parse.GetValue(windows))
                {
                    windowMatches = await collection.SearchWindowsAsync(new WindowQuery(vectors.Vector) { Limit = parse.GetValue(similarity.K) }, token);
                }
            }
            else
            {
                example = QueryExample.OfTrack(TrackId.TryParse(text, out var id) ? id : throw new ArgumentException($"'{text}' is neither a file nor a valid track id"));
            }
            var results = await collection.SearchAsync(similarity.Query(parse, example), token);
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(new { collection = collection.Info.Name, results, windows = windowMatches }, Json));
                return;
            }
            Print(CliConsole.For(output), collection.Info, results, windowMatches);
        }));
        return command;
    }

    private static async Task<TrackEmbedding> EmbedFileAsync(string path, DirectoryInfo? package, CollectionInfo collection, CancellationToken cancellationToken)
    {
        if (package is null)
        {
            throw new ArgumentException($"searching by audio file needs --package (the model of collection '{collection.Name}', version {collection.ModelVersion})");
        }
        using var encoder = EncoderFactory.Load(package.FullName, new CpuBackend());
        if (encoder.Manifest.Version != collection.ModelVersion)
        {
            throw new ArgumentException($"the package is model version '{encoder.Manifest.Version}' but the collection holds '{collection.ModelVersion}' vectors");
        }
        using var embedder = new AudioEmbedder(encoder);
        var audio = await new AudioDecoder(new AudioDecoderOptions()).DecodeAsync(path, embedder.SampleRate, cancellationToken: cancellationToken);
        return await embedder.EmbedAsync(audio.Samples, cancellationToken: cancellationToken);
    }

    private static void Print(IAnsiConsole console, CollectionInfo collection, IReadOnlyList<SimilarTrack> results, IReadOnlyList<WindowMatch>? windows)
    {
        var table = new Table().AddColumns("#", "score", "id", "title", "artist", "album");
        table.Title = new TableTitle($"similar tracks ({Markup.Escape(collection.Name)})");
        for (var i = 0; i < results.Count; i++)
        {
            var track = results[i].Track;
            table.AddRow($"{i + 1}", $"{results[i].Score:F4}", Markup.Escape(track.Id.Value), Markup.Escape(track.Title), Markup.Escape(track.Artist ?? ""),
                Markup.Escape(track.Album ?? ""));
        }
        console.Write(table);
        if (results.Count == 0)
        {
            console.MarkupLine("no track matches these filters");
        }
        if (windows is not null)
        {
            var windowTable = new Table().AddColumns("#", "score", "id", "title", "window", "from", "to");
            windowTable.Title = new TableTitle("closest windows");
            for (var i = 0; i < windows.Count; i++)
            {
                var match = windows[i];
                windowTable.AddRow($"{i + 1}", $"{match.Score:F4}", Markup.Escape(match.Track.Id.Value), Markup.Escape(match.Track.Title), $"{match.WindowIndex}",
                    TimeSpan.FromSeconds(match.StartSeconds).ToString(@"m\:ss"), TimeSpan.FromSeconds(match.StartSeconds + match.DurationSeconds).ToString(@"m\:ss"));
            }
            console.Write(windowTable);
        }
    }
}

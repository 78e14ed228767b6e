using System.CommandLine;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;
using MusicSearch.Core.Storage.Embedded;
using MusicSearch.Core.Storage.Qdrant;
using Spectre.Console;

namespace MusicSearch.Indexer.Commands;

/// <summary>
/// <c>musicsearch status [--failures N] [--after ID]</c>: the store's collections (which is active), each one's counts by
/// status, and a page of the failures of the active (or named) collection with their reasons.
/// </summary>
internal static class StatusCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var failures = new Option<int>("--failures") { Description = "List up to this many failed tracks with their reasons.", DefaultValueFactory = _ => 20 };
        var after = new Option<string?>("--after") { Description = "List failures after this track id (the cursor printed under the list)." };
        var store = new StoreLocation();
        var command = new Command("status", "Collections, tracks by status, and why tracks failed.") { failures, after };
        store.AddTo(command);
        command.SetAction((parse, token) => OperatorErrors.RunAsync(error, async () =>
        {
            var console = CliConsole.For(output);
            await using var collections = store.Open(parse);
            var infos = await collections.ListAsync(token);
            var active = await collections.GetActiveAsync(token);
            var table = new Table().AddColumns("collection", "model version", "dims", "active", "indexed", "pending", "failed");
            foreach (var info in infos)
            {
                var counts = await (await collections.OpenAsync(info.ModelVersion, info.Dimensions, token)).CountAsync(token);
                table.AddRow(Markup.Escape(info.Name), Markup.Escape(info.ModelVersion), $"{info.Dimensions}", info.Name == active?.Info.Name ? "yes" : "",
                    $"{counts.Indexed}", $"{counts.Pending}", $"{counts.Failed}");
            }
            var location = collections switch
            {
                EmbeddedTrackCollections embedded => embedded.Directory,
                QdrantTrackCollections qdrant => $"Qdrant at {qdrant.Url}",
                _ => collections.GetType().Name,
            };
            console.MarkupLine($"store: {Markup.Escape(location)}");
            console.Write(table);
            if (infos.Count == 0)
            {
                return;
            }

            var collection = await store.CollectionAsync(collections, parse, token);
            var limit = parse.GetValue(failures);
            if (limit < 1)
            {
                return;
            }
            var cursor = parse.GetValue(after) is { } text ? new TrackId(text) : (TrackId?)null;
            var page = await collection.ListAsync(new TrackListQuery { Status = TrackStatus.Failed, After = cursor, Limit = Math.Min(limit, TrackListQuery.MaxLimit) }, token);
            if (page.Items.Count == 0)
            {
                console.MarkupLine($"no failed tracks in {Markup.Escape(collection.Info.Name)}");
                return;
            }
            var failed = new Table().AddColumns("id", "code", "reason", "attempts", "updated");
            failed.Title = new TableTitle($"failed tracks ({Markup.Escape(collection.Info.Name)})");
            foreach (var record in page.Items)
            {
                failed.AddRow(Markup.Escape(record.Track.Id.Value), Markup.Escape(record.State.FailureCode ?? ""), Markup.Escape(record.State.FailureReason ?? ""),
                    $"{record.State.Attempts}", $"{record.State.UpdatedAt:u}");
            }
            console.Write(failed);
            if (page.Next is { } next)
            {
                console.MarkupLine($"more: --after {Markup.Escape(next.Value)}");
            }
        }));
        return command;
    }
}

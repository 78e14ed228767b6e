using System.CommandLine;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;

namespace MusicSearch.Indexer.Commands;

/// <summary>
/// <c>musicsearch remove ID…</c>: removes tracks from every collection of the embedded store. The removal is versioned
/// with the current time, so an older index event arriving later cannot bring the track back.
/// </summary>
internal static class RemoveCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var ids = new Argument<string[]>("id") { Description = "Track ids to remove.", Arity = ArgumentArity.OneOrMore };
        var store = new StoreLocation();
        var command = new Command("remove", "Remove tracks from the catalog's collections.") { ids };
        store.AddTo(command, withModelVersion: false);
        command.SetAction((parse, token) => OperatorErrors.RunAsync(error, async () =>
        {
            var removals = parse.GetValue(ids)!.Select(id => new TrackRemoval(new TrackId(id), DateTimeOffset.UtcNow.UtcTicks)).ToArray();
            await using var collections = store.Open(parse);
            var found = new HashSet<TrackId>();
            foreach (var info in await collections.ListAsync(token))
            {
                var collection = await collections.OpenAsync(info.ModelVersion, info.Dimensions, token);
                foreach (var removal in removals)
                {
                    if (await collection.GetAsync(removal.TrackId, cancellationToken: token) is not null)
                    {
                        found.Add(removal.TrackId);
                    }
                }
                await collection.RemoveAsync(removals, token);
            }
            foreach (var removal in removals)
            {
                await output.WriteLineAsync(found.Contains(removal.TrackId) ? $"removed {removal.TrackId}" : $"{removal.TrackId} was not in the catalog (removal recorded)");
            }
        }));
        return command;
    }
}

using MusicSearch.Api.Store;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;
using MusicSearch.GraphQL.Execution;

namespace MusicSearch.Api.GraphQL.SchemaDefinition;

/// <summary>
/// The request's batched lookups (DataLoader), so that a field selected on every item of a list costs one batch per
/// list rather than one call per item: track records (state and payload) by id, and each track's neighbours, which go
/// to the store as one <see cref="ITrackStore.SearchBatchAsync"/> (one scan of the vectors for the whole list).
/// </summary>
public sealed partial class TrackLoaders(ActiveStore active, ILogger<TrackLoaders> logger)
{
    private const string Records = "track-records";

    /// <summary>The track's record in the active collection (without vectors), or null when it holds no such track.</summary>
    public Task<TrackRecord?> RecordAsync(FieldContext context, TrackId id) =>
        context.DataLoader<TrackId, TrackRecord>(Records, LoadRecordsAsync).LoadAsync(id);

    /// <summary>
    /// The tracks most like <paramref name="seed"/>, batched with every other seed of the same field selection (which
    /// share its arguments, so one loader per selection in the document).
    /// </summary>
    public Task<IReadOnlyList<SimilarTrack>?> NeighboursAsync(FieldContext context, TrackId seed, SimilarityQuery template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var selection = context.FieldNodes[0].Location;
        var loader = context.DataLoader<TrackId, IReadOnlyList<SimilarTrack>>($"neighbours@{selection.Start}",
            (seeds, cancellationToken) => LoadNeighboursAsync(seeds, template, cancellationToken));
        return loader.LoadAsync(seed);
    }

    private async Task<IReadOnlyDictionary<TrackId, TrackRecord>> LoadRecordsAsync(IReadOnlyList<TrackId> ids, CancellationToken cancellationToken)
    {
        var store = await active.GetAsync(cancellationToken).ConfigureAwait(false);
        var records = new Dictionary<TrackId, TrackRecord>(ids.Count);
        foreach (var id in ids)
        {
            if (await store.GetAsync(id, withVectors: false, cancellationToken).ConfigureAwait(false) is { } record)
            {
                records[id] = record;
            }
        }
        LoadedRecords(logger, ids.Count, records.Count);
        return records;
    }

    private async Task<IReadOnlyDictionary<TrackId, IReadOnlyList<SimilarTrack>>> LoadNeighboursAsync(IReadOnlyList<TrackId> seeds, SimilarityQuery template,
        CancellationToken cancellationToken)
    {
        var store = await active.GetAsync(cancellationToken).ConfigureAwait(false);
        var queries = seeds.Select(seed => template with { Positive = [QueryExample.OfTrack(seed)] }).ToArray();
        var found = new Dictionary<TrackId, IReadOnlyList<SimilarTrack>>(seeds.Count);
        try
        {
            var results = await store.SearchBatchAsync(queries, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < seeds.Count; i++)
            {
                found[seeds[i]] = results[i];
            }
        }
        catch (UnknownTrackException)
        {
            // A seed without vectors (pending, failed, just removed) fails the whole batch: ask one by one, leaving it out.
            for (var i = 0; i < seeds.Count; i++)
            {
                try
                {
                    found[seeds[i]] = await store.SearchAsync(queries[i], cancellationToken).ConfigureAwait(false);
                }
                catch (UnknownTrackException)
                {
                }
            }
        }
        SearchedNeighbours(logger, seeds.Count);
        return found;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Loaded {Found} of {Requested} track records in one batch")]
    private static partial void LoadedRecords(ILogger logger, int requested, int found);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Searched the neighbours of {Seeds} tracks in one batch")]
    private static partial void SearchedNeighbours(ILogger logger, int seeds);
}

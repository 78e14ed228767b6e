using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Messages;
using MusicSearch.Core.Storage;

namespace MusicSearch.Indexing.Pipeline;

/// <summary>
/// Re-embeds the catalog with this worker's model into the model's own collection while the active collection keeps
/// serving searches, and switches the active collection over once every track of the new one is indexed or failed —
/// never before. Independent of the message broker: <c>publish</c> hands the <see cref="IndexTrack"/> messages on.
/// </summary>
/// <remarks>
/// <see cref="StartAsync"/> copies the active collection's tracks into the new collection as pending (skipping those
/// already done there, so asking again resumes rather than restarts), then publishes one <see cref="IndexTrack"/>
/// per pending track. <see cref="CheckAsync"/>, run periodically by every worker, activates the new collection when
/// it has no pending track left and a final sweep finds no track of the active collection that is missing from it or
/// newer there (changes the catalog made meanwhile through workers of the old model); such tracks are queued instead.
/// A worker checks only after it saw the re-index (it started it, or it saw pending tracks in its model's collection),
/// so an old collection left behind is never re-activated by accident.
/// </remarks>
public sealed class CatalogReindexer(
    ITrackCollections collections,
    CollectionResolver resolver,
    IOptions<PipelineOptions> options,
    ILogger<CatalogReindexer> logger)
{
    public delegate Task Publish(IReadOnlyList<IndexTrack> messages, CancellationToken cancellationToken);

    private volatile bool _armed;

    public string ModelVersion => resolver.ModelVersion;

    /// <exception cref="PermanentIndexingException">The requested model is not this worker's.</exception>
    public async Task StartAsync(string modelVersion, Publish publish, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publish);
        if (modelVersion != ModelVersion)
        {
            throw new PermanentIndexingException(
                $"a re-index to model '{modelVersion}' needs workers started with that package; this one embeds with '{ModelVersion}'");
        }
        var active = await collections.GetActiveAsync(cancellationToken).ConfigureAwait(false);
        var target = await resolver.OpenOwnAsync(cancellationToken).ConfigureAwait(false);
        if (active is null || active.Info.ModelVersion == ModelVersion)
        {
            await collections.ActivateAsync(ModelVersion, cancellationToken).ConfigureAwait(false);
            PipelineLog.ReindexNothingToCopy(logger, ModelVersion, target.Info.Name);
            return;
        }
        _armed = true;
        var marked = 0;
        await foreach (var page in PagesAsync(active, status: null, cancellationToken).ConfigureAwait(false))
        {
            var behind = await BehindAsync(page, target, cancellationToken).ConfigureAwait(false);
            if (behind.Count > 0)
            {
                await target.MarkPendingAsync(behind, cancellationToken).ConfigureAwait(false);
                marked += behind.Count;
            }
        }
        var published = await PublishPendingAsync(target, publish, cancellationToken).ConfigureAwait(false);
        PipelineLog.ReindexStarted(logger, active.Info.ModelVersion, ModelVersion, marked, published);
    }

    /// <summary>Activates this model's collection when its re-index is complete.</summary>
    /// <returns>True when this call switched the active collection.</returns>
    public async Task<bool> CheckAsync(Publish publish, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publish);
        var active = await collections.GetActiveAsync(cancellationToken).ConfigureAwait(false);
        if (active is null || active.Info.ModelVersion == ModelVersion)
        {
            _armed = false;
            return false;
        }
        var existing = await collections.ListAsync(cancellationToken).ConfigureAwait(false);
        if (!existing.Any(collection => collection.ModelVersion == ModelVersion))
        {
            return false;
        }
        var target = await resolver.OpenOwnAsync(cancellationToken).ConfigureAwait(false);
        var counts = await target.CountAsync(cancellationToken).ConfigureAwait(false);
        if (counts.Pending > 0)
        {
            _armed = true;
            return false;
        }
        if (!_armed)
        {
            return false;
        }

        var behind = new List<PendingTrack>();
        await foreach (var page in PagesAsync(active, status: null, cancellationToken).ConfigureAwait(false))
        {
            behind.AddRange(await BehindAsync(page, target, cancellationToken).ConfigureAwait(false));
        }
        if (behind.Count > 0)
        {
            await target.MarkPendingAsync(behind, cancellationToken).ConfigureAwait(false);
            await publish([.. behind.Select(track => new IndexTrack(track.Track, track.Version, ModelVersion))], cancellationToken).ConfigureAwait(false);
            PipelineLog.ReindexCatchingUp(logger, ModelVersion, behind.Count, active.Info.Name);
            return false;
        }
        await collections.ActivateAsync(ModelVersion, cancellationToken).ConfigureAwait(false);
        _armed = false;
        PipelineLog.ReindexComplete(logger, ModelVersion, counts.Indexed, counts.Failed, target.Info.Name, active.Info.Name);
        return true;
    }

    /// <summary>Tracks of the active collection that the target lacks or has at an older version.</summary>
    private static async Task<List<PendingTrack>> BehindAsync(IReadOnlyList<TrackRecord> page, ITrackStore target, CancellationToken cancellationToken)
    {
        var behind = new List<PendingTrack>();
        foreach (var record in page)
        {
            var there = await target.GetAsync(record.Track.Id, withVectors: false, cancellationToken).ConfigureAwait(false);
            if (there is null || there.State.Version < record.State.Version)
            {
                behind.Add(new PendingTrack(record.Track, record.State.Version));
            }
        }
        return behind;
    }

    private async Task<int> PublishPendingAsync(ITrackStore target, Publish publish, CancellationToken cancellationToken)
    {
        var published = 0;
        await foreach (var page in PagesAsync(target, TrackStatus.Pending, cancellationToken).ConfigureAwait(false))
        {
            await publish([.. page.Select(record => new IndexTrack(record.Track, record.State.Version, ModelVersion))], cancellationToken).ConfigureAwait(false);
            published += page.Count;
        }
        return published;
    }

    private async IAsyncEnumerable<IReadOnlyList<TrackRecord>> PagesAsync(ITrackStore store, TrackStatus? status,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        TrackId? after = null;
        do
        {
            var page = await store.ListAsync(new TrackListQuery { Status = status, After = after, Limit = options.Value.ReindexPageSize }, cancellationToken).ConfigureAwait(false);
            if (page.Items.Count > 0)
            {
                yield return page.Items;
            }
            after = page.Next;
        }
        while (after is not null);
    }
}

using MassTransit;
using Microsoft.Extensions.Logging;
using MusicSearch.Core.Messages;
using MusicSearch.Core.Storage;

namespace MusicSearch.Indexing.Pipeline;

/// <summary>
/// Removes a track from every collection (the active one and any being re-indexed). The store remembers the removal's
/// version, so an <see cref="IndexTrack"/> with a smaller or equal version that arrives later cannot bring it back.
/// A store that is unavailable throws, and the message is retried.
/// </summary>
public sealed class RemoveTrackConsumer(ITrackCollections collections, ILogger<RemoveTrackConsumer> logger) : IConsumer<RemoveTrack>
{
    public async Task Consume(ConsumeContext<RemoveTrack> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var removal = new TrackRemoval(context.Message.TrackId, context.Message.Version);
        foreach (var collection in await collections.ListAsync(context.CancellationToken).ConfigureAwait(false))
        {
            var store = await collections.OpenAsync(collection.ModelVersion, collection.Dimensions, context.CancellationToken).ConfigureAwait(false);
            var outcome = await store.RemoveAsync([removal], context.CancellationToken).ConfigureAwait(false);
            PipelineLog.TrackRemoved(logger, removal.TrackId.Value, removal.Version, collection.Name, outcome[0]);
        }
    }
}

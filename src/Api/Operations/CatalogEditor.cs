using MassTransit;
using Microsoft.Extensions.Options;
using MusicSearch.Api.Errors;
using MusicSearch.Core.Audio;
using MusicSearch.Core.Audio.Sources;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Messages;
using MusicSearch.Core.Storage;
using MusicSearch.Indexing.Catalog;
using MusicSearch.Indexing.Messaging;

namespace MusicSearch.Api.Operations;

/// <summary>What an enqueue did: tracks sent to the indexer, entries left out with why, and the version they carry.</summary>
public sealed record EnqueueResult(int Enqueued, IReadOnlyList<CatalogProblem> Problems, long Version);

/// <summary>A catalog path an editor named that may not be listed (outside the library roots, missing, not a folder or CSV manifest).</summary>
public sealed class CatalogPathException(string message) : ApiException(message)
{
    public override int StatusCode => StatusCodes.Status400BadRequest;

    public override string Code => "bad-catalog-path";
}

/// <summary>
/// Editor operations on the catalog, as messages to the indexing pipeline (in this process in embedded mode, to the
/// workers over RabbitMQ otherwise), sent to the pipeline's queues. Every event carries a fresh version (now, in ticks),
/// so it supersedes what the catalog said before (ordering rule of the pipeline). Tracks to index are also recorded
/// as pending in the active collection at once, so status shows them before a worker picks them up.
/// </summary>
public sealed class CatalogEditor(IBus bus, IOptions<BusOptions> busOptions, ITrackCollections collections,
    AudioSourceResolver sources, IOptions<AudioDecoderOptions> decoding, TimeProvider time)
{
    public const int MaxTracksPerCall = 10_000;
    private const int SendChunk = 200;

    /// <summary>Indexes (or re-indexes) these tracks; invalid or repeated entries are reported, the rest are sent.</summary>
    public async Task<EnqueueResult> EnqueueTracksAsync(IReadOnlyList<Track> tracks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        if (tracks.Count > MaxTracksPerCall)
        {
            throw new ArgumentException($"at most {MaxTracksPerCall} tracks per call, got {tracks.Count}");
        }
        var valid = new List<Track>();
        var problems = new List<CatalogProblem>();
        var seen = new HashSet<TrackId>();
        for (var i = 0; i < tracks.Count; i++)
        {
            try
            {
                tracks[i].Validate();
                if (!seen.Add(tracks[i].Id))
                {
                    throw new ArgumentException($"track '{tracks[i].Id}' appears more than once");
                }
                valid.Add(tracks[i]);
            }
            catch (ArgumentException ex)
            {
                problems.Add(new CatalogProblem($"tracks[{i}]", ex.Message));
            }
        }
        return await SendTracksAsync(valid, problems, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Lists a folder of audio files (tags read with ffprobe) or a manifest CSV that lies inside the library roots (by its
    /// real path) and indexes its tracks; bad entries are reported.
    /// </summary>
    public async Task<EnqueueResult> EnqueuePathAsync(string path, CancellationToken cancellationToken)
    {
        string realPath;
        try
        {
            realPath = sources.ResolveLibraryPath(path);
        }
        catch (AudioSourceException ex)
        {
            throw new CatalogPathException($"cannot list '{path}': {ex.Message}");
        }
        CatalogListing listing;
        if (Directory.Exists(realPath))
        {
            listing = await new FolderScanner(new AudioMetadataReader(decoding.Value)).ScanAsync(realPath, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else if (realPath.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                listing = ManifestReader.Read(realPath);
            }
            catch (InvalidDataException ex)
            {
                throw new CatalogPathException(ex.Message);
            }
        }
        else
        {
            throw new CatalogPathException($"'{path}' is neither a folder nor a manifest (.csv)");
        }
        if (listing.Tracks.Count > MaxTracksPerCall)
        {
            throw new CatalogPathException($"'{path}' lists {listing.Tracks.Count} tracks; at most {MaxTracksPerCall} per call");
        }
        return await SendTracksAsync(listing.Tracks, [.. listing.Problems], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes a track from every collection (a later index event with a larger version brings it back).</summary>
    public async Task<long> RemoveTrackAsync(TrackId trackId, CancellationToken cancellationToken)
    {
        var version = Version();
        var queue = await QueueAsync<RemoveTrack>().ConfigureAwait(false);
        await queue.Send(new RemoveTrack(trackId, version), cancellationToken).ConfigureAwait(false);
        return version;
    }

    /// <summary>Indexes failed tracks of the active collection again: those named, or every failed one when <paramref name="trackIds"/> is null.</summary>
    /// <returns>How many were sent; named tracks that are not failed are left alone.</returns>
    public async Task<int> RetryFailedAsync(IReadOnlyList<TrackId>? trackIds, CancellationToken cancellationToken)
    {
        if (trackIds is { Count: > MaxTracksPerCall })
        {
            throw new ArgumentException($"at most {MaxTracksPerCall} tracks per call, got {trackIds.Count}");
        }
        var active = await collections.GetActiveAsync(cancellationToken).ConfigureAwait(false) ?? throw new NoActiveCollectionException();
        var failed = new List<Track>();
        if (trackIds is null)
        {
            TrackId? after = null;
            do
            {
                var page = await active.ListAsync(new TrackListQuery { Status = TrackStatus.Failed, After = after, Limit = TrackListQuery.MaxLimit }, cancellationToken)
                    .ConfigureAwait(false);
                failed.AddRange(page.Items.Select(record => record.Track));
                after = page.Next;
            }
            while (after is not null);
        }
        else
        {
            foreach (var id in trackIds.Distinct())
            {
                if (await active.GetAsync(id, withVectors: false, cancellationToken).ConfigureAwait(false) is { State.Status: TrackStatus.Failed } record)
                {
                    failed.Add(record.Track);
                }
            }
        }
        var result = await SendTracksAsync(failed, [], cancellationToken).ConfigureAwait(false);
        return result.Enqueued;
    }

    /// <summary>
    /// Starts re-embedding the catalog with <paramref name="modelVersion"/>: the worker whose package has that version
    /// fills its collection and switches searches over when done (the Api's own indexer in embedded mode).
    /// </summary>
    public async Task ReindexAsync(string modelVersion, CancellationToken cancellationToken)
    {
        _ = CollectionInfo.NameFor(modelVersion);
        var queue = await QueueAsync<ReindexCatalog>().ConfigureAwait(false);
        await queue.Send(new ReindexCatalog(modelVersion), cancellationToken).ConfigureAwait(false);
    }

    private async Task<EnqueueResult> SendTracksAsync(IReadOnlyList<Track> tracks, List<CatalogProblem> problems, CancellationToken cancellationToken)
    {
        var version = Version();
        if (tracks.Count == 0)
        {
            return new EnqueueResult(0, problems, version);
        }
        if (await collections.GetActiveAsync(cancellationToken).ConfigureAwait(false) is { } active)
        {
            await active.MarkPendingAsync([.. tracks.Select(track => new PendingTrack(track, version))], cancellationToken).ConfigureAwait(false);
        }
        var queue = await QueueAsync<IndexTrack>().ConfigureAwait(false);
        foreach (var chunk in tracks.Chunk(SendChunk))
        {
            await queue.SendBatch(chunk.Select(track => new IndexTrack(track, version)), cancellationToken).ConfigureAwait(false);
        }
        return new EnqueueResult(tracks.Count, problems, version);
    }

    private Task<ISendEndpoint> QueueAsync<TMessage>()
        where TMessage : class =>
        bus.GetSendEndpoint(PipelineQueues.Address<TMessage>(busOptions.Value.EndpointPrefix));

    private long Version() => time.GetUtcNow().UtcTicks;
}

using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Messages;
using MusicSearch.Core.Storage;
using MusicSearch.Inference.Embedding;

namespace MusicSearch.Indexing.Pipeline;

/// <summary>
/// Indexes one batch of <see cref="IndexTrack"/> messages, independently of any message broker: decodes the tracks
/// in parallel (bounded by <see cref="PipelineOptions.DecodeParallelism"/>), hands every track's PCM to the shared
/// <see cref="AudioEmbedder"/> at once so that windows of different tracks share forward passes, stores the embedded
/// tracks with one upsert per collection, and records permanent failures with their reason.
/// </summary>
/// <remarks>
/// Idempotent: a track already indexed at the message's version is not embedded again, and the store ignores events
/// older than the last one applied to a track, so redelivered or duplicated messages leave one point per track and a
/// <see cref="RemoveTrack"/> with a larger version wins over a late <see cref="IndexTrack"/>. When some tracks fail
/// transiently, the others are stored first and then <see cref="TransientIndexingException"/> is thrown; store
/// failures (<see cref="TrackStoreUnavailableException"/>) propagate as they are. Either way the batch is worth retrying.
/// </remarks>
public sealed class TrackIndexer(
    CollectionResolver resolver,
    AudioEmbedder embedder,
    ITrackAudioLoader loader,
    IndexerMetrics metrics,
    IOptions<PipelineOptions> options,
    TimeProvider time,
    ILogger<TrackIndexer> logger)
{
    private readonly PipelineOptions _options = options.Value;

    /// <param name="messages">The batch, in delivery order.</param>
    /// <param name="attempt">1 for a first delivery; recorded with each track.</param>
    /// <param name="cancellationToken">Stops the batch; nothing of it is acknowledged then.</param>
    /// <returns>One outcome per message, in the same order.</returns>
    public async Task<IReadOnlyList<TrackOutcome>> IndexAsync(IReadOnlyList<IndexTrack> messages, int attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        using var batch = metrics.StartBatch(messages.Count);
        var clock = Stopwatch.StartNew();
        var outcomes = new TrackOutcome?[messages.Count];
        var jobs = await PlanAsync(messages, attempt, outcomes, cancellationToken).ConfigureAwait(false);

        using var decodeSlots = new SemaphoreSlim(_options.DecodeParallelism);
        var results = await Task.WhenAll(jobs.Select(job => EmbedAsync(job, attempt, decodeSlots, cancellationToken))).ConfigureAwait(false);

        await UpsertAsync(results, outcomes, cancellationToken).ConfigureAwait(false);
        ThrowIfAnyTransient(results);
        await MarkFailedAsync(results, attempt, outcomes, cancellationToken).ConfigureAwait(false);

        foreach (var failed in outcomes.OfType<TrackFailedOutcome>())
        {
            metrics.TrackFailed(failed.Failure);
            PipelineLog.TrackFailed(logger, failed.Message.Track?.Id.ToString() ?? "?", failed.Failure.Code, failed.Failure.Reason);
        }
        var indexed = outcomes.Count(o => o is TrackIndexedOutcome);
        var failedCount = outcomes.Count(o => o is TrackFailedOutcome);
        PipelineLog.BatchIndexed(logger, messages.Count, clock.Elapsed.TotalSeconds, indexed, failedCount, messages.Count - indexed - failedCount);
        return outcomes!;
    }

    /// <summary>Validates, resolves collections, drops duplicates within the batch and tracks already done; returns what needs embedding.</summary>
    private async Task<List<TrackJob>> PlanAsync(IReadOnlyList<IndexTrack> messages, int attempt, TrackOutcome?[] outcomes, CancellationToken cancellationToken)
    {
        var targets = new Dictionary<string, (ITrackStore? Store, string? Problem)>(StringComparer.Ordinal);
        var newest = new Dictionary<(string Collection, TrackId Track), TrackJob>();
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (Problem(message) is { } problem)
            {
                outcomes[i] = new TrackFailedOutcome(message, new IndexingFailure(IndexingFailure.InvalidMessage, problem, Permanent: true), attempt);
                continue;
            }
            var key = message.ModelVersion ?? "";
            if (!targets.TryGetValue(key, out var target))
            {
                target = targets[key] = await resolver.ResolveAsync(message.ModelVersion, cancellationToken).ConfigureAwait(false);
            }
            if (target.Store is null)
            {
                outcomes[i] = new TrackFailedOutcome(message, new IndexingFailure(IndexingFailure.ModelMismatch, target.Problem!, Permanent: true), attempt);
                continue;
            }
            var job = new TrackJob(i, message, target.Store);
            if (newest.TryGetValue((target.Store.Info.Name, message.Track.Id), out var other))
            {
                var (kept, dropped) = other.Message.Version >= message.Version ? (other, job) : (job, other);
                outcomes[dropped.Index] = new TrackSkippedOutcome(dropped.Message, $"superseded by version {kept.Message.Version} in the same batch");
                job = kept;
            }
            newest[(target.Store.Info.Name, message.Track.Id)] = job;
        }

        var jobs = new List<TrackJob>(newest.Count);
        foreach (var job in newest.Values.OrderBy(job => job.Index))
        {
            if (await AlreadyDoneAsync(job, cancellationToken).ConfigureAwait(false) is { } done)
            {
                outcomes[job.Index] = done;
            }
            else
            {
                jobs.Add(job);
            }
        }
        return jobs;
    }

    private static string? Problem(IndexTrack? message)
    {
        if (message?.Track is not { } track)
        {
            return "the message carries no track";
        }
        if (track.Id == default)
        {
            return "the track has no id";
        }
        try
        {
            track.Validate();
            return null;
        }
        catch (ArgumentException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>A redelivery of a message whose track is already stored at that version, or one overtaken by a later event.</summary>
    private static async Task<TrackOutcome?> AlreadyDoneAsync(TrackJob job, CancellationToken cancellationToken)
    {
        var record = await job.Store.GetAsync(job.Message.Track.Id, withVectors: false, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return null;
        }
        if (record.State.Version > job.Message.Version)
        {
            return new TrackSkippedOutcome(job.Message, $"version {record.State.Version} of the track was already applied");
        }
        if (record.State is { Status: TrackStatus.Indexed } state && state.Version == job.Message.Version && state.ModelVersion == job.Store.Info.ModelVersion)
        {
            var stored = await job.Store.GetAsync(job.Message.Track.Id, withVectors: true, cancellationToken).ConfigureAwait(false);
            if (stored?.Vectors is { } vectors)
            {
                var duration = stored.Track.DurationSeconds ?? vectors.Windows.Select(w => w.StartSeconds + w.DurationSeconds).DefaultIfEmpty(0).Max();
                return new TrackIndexedOutcome(job.Message, new TrackIndexed(job.Message.Track.Id, job.Store.Info.ModelVersion, vectors.Windows.Count, duration, state.IndexedAt ?? state.UpdatedAt));
            }
        }
        return null;
    }

    private async Task<TrackResult> EmbedAsync(TrackJob job, int attempt, SemaphoreSlim decodeSlots, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        Core.Audio.DecodedAudio audio;
        await decodeSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            audio = await loader.LoadAsync(job.Message.Track, embedder.SampleRate, cancellationToken).ConfigureAwait(false);
            metrics.Decoded(clock.Elapsed);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new TrackResult(job, null, IndexingFailure.From(ex));
        }
        finally
        {
            decodeSlots.Release();
        }

        clock.Restart();
        TrackEmbedding embedding;
        try
        {
            var embeddingOptions = new EmbeddingOptions { MaxWindows = _options.MaxWindowsPerTrack == 0 ? null : _options.MaxWindowsPerTrack };
            embedding = await embedder.EmbedAsync(audio.Samples, embeddingOptions, cancellationToken).ConfigureAwait(false);
            metrics.Embedded(clock.Elapsed);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new TrackResult(job, null, IndexingFailure.From(ex));
        }

        var track = job.Message.Track.DurationSeconds is null ? job.Message.Track with { DurationSeconds = embedding.DurationSeconds } : job.Message.Track;
        var windows = embedding.Windows.Select(w => new WindowVector(w.StartSeconds, w.DurationSeconds, w.Vector)).ToArray();
        var point = new TrackPoint(track, new TrackVectors(embedding.Vector, windows), job.Message.Version) { Attempts = attempt, IndexedAt = time.GetUtcNow() };
        return new TrackResult(job, point, null);
    }

    /// <summary>One upsert per collection (one per batch in the usual case of a single target).</summary>
    private async Task UpsertAsync(TrackResult[] results, TrackOutcome?[] outcomes, CancellationToken cancellationToken)
    {
        foreach (var group in results.Where(r => r.Point is not null).GroupBy(r => r.Job.Store))
        {
            var stored = group.ToArray();
            var clock = Stopwatch.StartNew();
            var writes = await group.Key.UpsertAsync(stored.Select(r => r.Point!).ToArray(), cancellationToken).ConfigureAwait(false);
            metrics.Stored("upsert", clock.Elapsed);
            for (var i = 0; i < stored.Length; i++)
            {
                var (job, point, _) = stored[i];
                if (writes[i] == WriteOutcome.Stale)
                {
                    outcomes[job.Index] = new TrackSkippedOutcome(job.Message, "a later event of the track (a removal or a newer version) was already applied");
                    continue;
                }
                var duration = point!.Track.DurationSeconds ?? 0;
                metrics.TrackIndexed(point.Vectors.Windows.Count, duration);
                outcomes[job.Index] = new TrackIndexedOutcome(job.Message,
                    new TrackIndexed(job.Message.Track.Id, group.Key.Info.ModelVersion, point.Vectors.Windows.Count, duration, point.IndexedAt));
            }
        }
    }

    private void ThrowIfAnyTransient(TrackResult[] results)
    {
        var transient = results.Where(r => r.Failure is { Permanent: false }).ToArray();
        if (transient.Length == 0)
        {
            return;
        }
        foreach (var result in transient)
        {
            metrics.TrackFailed(result.Failure!);
        }
        throw new TransientIndexingException(
            $"{transient.Length} track(s) failed transiently and will be retried: " +
            string.Join("; ", transient.Select(r => $"{r.Job.Message.Track.Id}: {r.Failure!.Code}: {r.Failure.Reason}")));
    }

    private async Task MarkFailedAsync(TrackResult[] results, int attempt, TrackOutcome?[] outcomes, CancellationToken cancellationToken)
    {
        foreach (var group in results.Where(r => r.Failure is { Permanent: true }).GroupBy(r => r.Job.Store))
        {
            var failed = group.ToArray();
            var clock = Stopwatch.StartNew();
            var writes = await group.Key.MarkFailedAsync(
                failed.Select(r => new TrackFailure(r.Job.Message.Track, r.Job.Message.Version, r.Failure!.Code, r.Failure.Reason) { Attempts = attempt }).ToArray(),
                cancellationToken).ConfigureAwait(false);
            metrics.Stored("mark-failed", clock.Elapsed);
            for (var i = 0; i < failed.Length; i++)
            {
                var (job, _, failure) = failed[i];
                outcomes[job.Index] = writes[i] == WriteOutcome.Stale
                    ? new TrackSkippedOutcome(job.Message, "a later event of the track was already applied; its failure is moot")
                    : new TrackFailedOutcome(job.Message, failure!, attempt);
            }
        }
    }

    private sealed record TrackJob(int Index, IndexTrack Message, ITrackStore Store);

    private sealed record TrackResult(TrackJob Job, TrackPoint? Point, IndexingFailure? Failure);
}

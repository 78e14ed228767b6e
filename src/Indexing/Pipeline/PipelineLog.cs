using Microsoft.Extensions.Logging;
using MusicSearch.Core.Storage;

namespace MusicSearch.Indexing.Pipeline;

/// <summary>The pipeline's structured log events.</summary>
internal static partial class PipelineLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Indexed a batch of {Messages} messages in {Seconds:0.000} s: {Indexed} indexed, {Failed} failed, {Skipped} skipped")]
    public static partial void BatchIndexed(ILogger logger, int messages, double seconds, int indexed, int failed, int skipped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Track {TrackId} failed permanently ({Code}): {Reason}")]
    public static partial void TrackFailed(ILogger logger, string trackId, string code, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {TrackId} (version {Version}) from {Collection}: {Outcome}")]
    public static partial void TrackRemoved(ILogger logger, string trackId, long version, string collection, WriteOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "No collection was active: created and activated {Collection} for model {ModelVersion}")]
    public static partial void Bootstrapped(ILogger logger, string collection, string modelVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-index to {ModelVersion}: nothing to copy, {Collection} is active")]
    public static partial void ReindexNothingToCopy(ILogger logger, string modelVersion, string collection);

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-index from {From} to {To}: {Marked} tracks marked pending, {Published} IndexTrack messages published")]
    public static partial void ReindexStarted(ILogger logger, string from, string to, int marked, int published);

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-index to {ModelVersion}: {Count} tracks changed in {Active} meanwhile; queued them before switching")]
    public static partial void ReindexCatchingUp(ILogger logger, string modelVersion, int count, string active);

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-index to {ModelVersion} complete ({Indexed} indexed, {Failed} failed): {Collection} is now active, {Previous} stays until dropped")]
    public static partial void ReindexComplete(ILogger logger, string modelVersion, long indexed, long failed, string collection, string previous);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Re-index check skipped: the store is unavailable")]
    public static partial void ReindexCheckSkipped(ILogger logger, Exception exception);
}

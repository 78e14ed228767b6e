using System.Globalization;
using MusicSearch.Api.Errors;
using MusicSearch.Api.Operations;
using MusicSearch.Api.Security;
using MusicSearch.Api.Store;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;
using MusicSearch.GraphQL.Execution;
using MusicSearch.GraphQL.Types;
using MusicSearch.Indexing.Catalog;

namespace MusicSearch.Api.GraphQL.SchemaDefinition;

/// <summary>How far a collection's indexing got: tracks done (indexed or failed) out of all it holds.</summary>
public sealed record IndexingProgress(long Done, long Total)
{
    public static IndexingProgress Of(StatusCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return new(counts.Indexed + counts.Failed, counts.Total);
    }
}

/// <summary>
/// Operations for editors and dashboards: indexing status and progress (poll it: subscriptions are not served), models
/// and collections, and the mutations that feed and correct the catalog (editor role).
/// </summary>
public sealed class OperationsSchema(IndexingStatus indexing, ModelCatalog models, CatalogEditor editor, ActiveStore active)
{
    internal void AddTypes(SchemaBuilder schema) => schema
        .Object<IndexingSnapshot>("Indexing", type => type
            .Description("Where indexing stands in the active collection. Poll it for progress.")
            .Field("collection", "String", field => field.Description("The active collection; null before anything was indexed.").Resolve(context => context.Parent.Collection))
            .Field("counts", "StatusCounts!", snapshot => snapshot.Counts)
            .Field("progress", "IndexingProgress!", snapshot => IndexingProgress.Of(snapshot.Counts))
            .Field("inFlight", "Int!", field => field.Description("Tracks being decoded and embedded by this process now.").Resolve(context => context.Parent.InFlight))
            .Field("queueDepth", "Int!", field => field
                .Description("Tracks waiting to be indexed: messages in the workers' queues on RabbitMQ (sampled every 10 s); in embedded mode, where "
                    + "the queue is in this process, the pending tracks.")
                .Resolve(context => context.Parent.Queues.Count > 0
                    ? context.Parent.Queues.Where(queue => !queue.Queue.EndsWith("_error", StringComparison.Ordinal)).Sum(queue => queue.Messages)
                    : context.Parent.Counts.Pending))
            .Field("queues", "[QueueDepth!]!", field => field.Description("Every pipeline queue of the broker, error queues included (RabbitMQ only).")
                .Resolve(context => context.Parent.Queues))
            .Field("throughput", "Throughput", field => field.Description("Averaged over the last minute; null until measured.").Resolve(context => context.Parent.Throughput))
            .Field("recentFailures", "FailedTrackConnection!", field => field
                .Description("Tracks that could not be indexed, most recent first.")
                .Argument("first", "Int", argument => argument.Default(10).Description("Page size, 1–100."))
                .Argument("after", "String")
                .ResolveService(async context =>
                {
                    var after = context.Argument<string?>("after");
                    var page = await indexing.FailuresAsync(context.Argument<int>("first"), after, context.CancellationToken).ConfigureAwait(false);
                    return Connections.FromOffsetPage(page, after);
                })))
        .Object<StatusCounts>("StatusCounts", type => type
            .Field("pending", "Int!", counts => counts.Pending)
            .Field("indexed", "Int!", counts => counts.Indexed)
            .Field("failed", "Int!", counts => counts.Failed)
            .Field("total", "Int!", counts => counts.Total))
        .Object<IndexingProgress>("IndexingProgress", type => type
            .Field("done", "Int!", field => field.Description("Tracks indexed or failed.").Resolve(context => context.Parent.Done))
            .Field("total", "Int!", progress => progress.Total)
            .Field("fraction", "Float!", field => field.Description("done / total, 0–1 (1 for an empty collection).")
                .Resolve(context => context.Parent.Total == 0 ? 1.0 : (double)context.Parent.Done / context.Parent.Total))
            .Field("finished", "Boolean!", progress => progress.Done == progress.Total))
        .Object<QueueDepth>("QueueDepth", type => type
            .Field("queue", "String!", depth => depth.Queue)
            .Field("messages", "Int!", depth => depth.Messages))
        .Object<Throughput>("Throughput", type => type
            .Field("tracksPerSecond", "Float!", throughput => throughput.TracksPerSecond)
            .Field("windowsPerSecond", "Float!", throughput => throughput.WindowsPerSecond)
            .Field("overSeconds", "Float!", throughput => throughput.Over.TotalSeconds))
        .Object<FailedTrack>("FailedTrack", type => type
            .Field("track", "Track!", failure => failure.Track)
            .Field("code", "String!", failure => failure.Code)
            .Field("reason", "String!", failure => failure.Reason)
            .Field("attempts", "Int!", failure => failure.Attempts)
            .Field("failedAt", "DateTime!", failure => failure.FailedAt))
        .AddConnection<FailedTrack, FailedTrack>("FailedTrack", "FailedTrack", failure => failure, "Failed tracks, most recent first.")
        .Object<ModelsSnapshot>("Models", type => type
            .Description("The model this Api embeds with, and the store's collections (one per model; a re-index fills a second one).")
            .Field("current", "Model!", snapshot => snapshot)
            .Field("activeModelVersion", "String", field => field.Description("The model of the collection searches read; null before any indexing.")
                .Resolve(context => context.Parent.ActiveModelVersion))
            .Field("collections", "[Collection!]!", snapshot => snapshot.Collections))
        .Object<ModelsSnapshot>("Model", type => type
            .Description("A model package: uploads are embedded with it, and in embedded mode the catalog too.")
            .Field("version", "String!", snapshot => snapshot.Version)
            .Field("architecture", "String!", snapshot => snapshot.Architecture)
            .Field("dimensions", "Int!", snapshot => snapshot.Dimensions)
            .Field("sampleRate", "Int!", snapshot => snapshot.SampleRate)
            .Field("windowSeconds", "Float!", snapshot => snapshot.WindowSeconds))
        .Object<CollectionSummary>("Collection", type => type
            .Description("One model's vectors of the catalog.")
            .Field("name", "String!", collection => collection.Name)
            .Field("modelVersion", "String!", collection => collection.ModelVersion)
            .Field("dimensions", "Int!", collection => collection.Dimensions)
            .Field("active", "Boolean!", field => field.Description("Whether searches read this collection.").Resolve(context => context.Parent.Active))
            .Field("counts", "StatusCounts!", collection => collection.Counts)
            .Field("progress", "IndexingProgress!", collection => IndexingProgress.Of(collection.Counts)))
        .InputObject("EnqueueTracksInput", type => type
            .Description("What to index: either `tracks` or `path`.")
            .Field("tracks", "[TrackInput!]", field => field.Description($"Tracks with their metadata, at most {CatalogEditor.MaxTracksPerCall}."))
            .Field("path", "String", field => field.Description("A folder of audio files (tags read with ffprobe) or a manifest CSV inside the library roots.")))
        .InputObject("TrackInput", type => type
            .Description("A catalog track to index; indexing it again with changed fields updates it.")
            .Field("id", "ID!")
            .Field("title", "String", "")
            .Field("artist", "String")
            .Field("album", "String")
            .Field("genre", "String")
            .Field("year", "Int")
            .Field("bpm", "Float")
            .Field("durationSeconds", "Float")
            .Field("tags", "[String!]")
            .Field("audioUri", "String!", field => field.Description("`file:///…` inside a library root, or an allow-listed `https://` URL.")))
        .Object<EnqueueResult>("EnqueueTracksPayload", type => type
            .Field("enqueued", "Int!", field => field.Description("Tracks sent to the indexer.").Resolve(context => context.Parent.Enqueued))
            .Field("version", "String!", field => field.Description("The catalog event version they carry (64-bit, as a string).")
                .Resolve(context => context.Parent.Version.ToString(CultureInfo.InvariantCulture)))
            .Field("problems", "[EnqueueProblem!]!", field => field.Description("Entries left out, and why.").Resolve(context => context.Parent.Problems)))
        .Object<CatalogProblem>("EnqueueProblem", type => type
            .Field("location", "String!", problem => problem.Location)
            .Field("reason", "String!", problem => problem.Reason))
        .Object<RemoveResult>("RemoveTrackPayload", type => type
            .Field("trackId", "ID!", result => result.TrackId.Value)
            .Field("version", "String!", result => result.Version.ToString(CultureInfo.InvariantCulture)))
        .Object<RetryResult>("RetryFailedPayload", type => type
            .Field("enqueued", "Int!", field => field.Description("Failed tracks sent to the indexer again.").Resolve(context => context.Parent.Enqueued)))
        .Object<ReindexResult>("ReindexPayload", type => type
            .Field("modelVersion", "String!", field => field
                .Description("The model the catalog is being re-embedded with; follow it with `reindexProgress`.")
                .Resolve(context => context.Parent.ModelVersion)));

    internal void AddQueries(ObjectTypeBuilder<object> query) => query
        .Field("indexing", "Indexing!", field => field
            .Description("Indexing status: counts, progress, queue depth, throughput, recent failures.")
            .ResolveService(context => indexing.GetAsync(context.CancellationToken)))
        .Field("reindexProgress", "Collection", field => field
            .Description("Progress of a re-index: the collection of that model, which becomes active when done. Null when it does not exist (yet).")
            .Argument("modelVersion", "String", argument => argument.Description("The model being indexed; this Api's model when left out."))
            .ResolveService(async context =>
            {
                var snapshot = await models.GetAsync(context.CancellationToken).ConfigureAwait(false);
                var version = context.Argument<string?>("modelVersion") ?? snapshot.Version;
                return snapshot.Collections.FirstOrDefault(collection => collection.ModelVersion == version);
            }))
        .Field("models", "Models!", field => field
            .Description("The model this Api embeds with, and the store's collections.")
            .ResolveService(context => models.GetAsync(context.CancellationToken)));

    internal void AddMutations(ObjectTypeBuilder<object> mutation) => mutation
        .Field("enqueueTracks", "EnqueueTracksPayload", field => field
            .Description("Indexes tracks (editor role): new ones are added, known ones updated. Invalid entries are reported in `problems`; the rest "
                + "are sent to the indexer and show as PENDING at once.")
            .Argument("input", "EnqueueTracksInput!")
            .ResolveService(context =>
            {
                RequireEditor(context.Untyped, "enqueueTracks");
                var input = (IReadOnlyDictionary<string, object?>)context.Arguments["input"]!;
                var tracks = input.GetValueOrDefault("tracks") as IEnumerable<object?>;
                var path = input.GetValueOrDefault("path") as string;
                return (tracks, path) switch
                {
                    (not null, null) => editor.EnqueueTracksAsync([.. tracks.Cast<IReadOnlyDictionary<string, object?>>().Select(ToTrack)], context.CancellationToken),
                    (null, not null) => editor.EnqueuePathAsync(path, context.CancellationToken),
                    _ => throw new ArgumentException("give exactly one of input.tracks and input.path"),
                };
            }))
        .Field("removeTrack", "RemoveTrackPayload", field => field
            .Description("Removes a track from every collection (editor role). Null, with a NOT_FOUND error, when the catalog does not hold it.")
            .Argument("id", "ID!")
            .ResolveService(async context =>
            {
                RequireEditor(context.Untyped, "removeTrack");
                var id = InputReader.Id(context.Argument<string>("id"), "id");
                var store = await active.GetAsync(context.CancellationToken).ConfigureAwait(false);
                _ = await store.GetAsync(id, withVectors: false, context.CancellationToken).ConfigureAwait(false) ?? throw new TrackNotFoundException($"no track '{id}' in the catalog");
                return new RemoveResult(id, await editor.RemoveTrackAsync(id, context.CancellationToken).ConfigureAwait(false));
            }))
        .Field("retryFailed", "RetryFailedPayload", field => field
            .Description("Indexes failed tracks again (editor role): those named, or every failed track when `ids` is left out. Named tracks that "
                + "did not fail are left alone.")
            .Argument("ids", "[ID!]")
            .ResolveService(async context =>
            {
                RequireEditor(context.Untyped, "retryFailed");
                var ids = context.Arguments.GetValueOrDefault("ids") is null ? null : InputReader.Ids(context.ListArgument<string>("ids"), "ids");
                return new RetryResult(await editor.RetryFailedAsync(ids, context.CancellationToken).ConfigureAwait(false));
            }))
        .Field("reindex", "ReindexPayload", field => field
            .Description("Re-embeds the whole catalog with another model (editor role). The workers with that model fill its collection while "
                + "searches keep reading the active one, which is switched when done; asking again resumes.")
            .Argument("modelVersion", "String!")
            .ResolveService(async context =>
            {
                RequireEditor(context.Untyped, "reindex");
                var version = context.Argument<string>("modelVersion");
                await editor.ReindexAsync(version, context.CancellationToken).ConfigureAwait(false);
                return new ReindexResult(version);
            }));

    private static void RequireEditor(FieldContext context, string field) => context.ContextAs<GraphQLRequestContext>().RequireRole(ApiRoles.Editor, field);

    private static Track ToTrack(IReadOnlyDictionary<string, object?> input, int index) => new()
    {
        Id = InputReader.Id(input["id"] as string, $"input.tracks[{index}].id"),
        Title = input.GetValueOrDefault("title") as string ?? "",
        Artist = input.GetValueOrDefault("artist") as string,
        Album = input.GetValueOrDefault("album") as string,
        Genre = input.GetValueOrDefault("genre") as string,
        Year = input.GetValueOrDefault("year") as int?,
        Bpm = input.GetValueOrDefault("bpm") as double?,
        DurationSeconds = input.GetValueOrDefault("durationSeconds") as double?,
        Tags = input.GetValueOrDefault("tags") is IEnumerable<object?> tags ? [.. tags.OfType<string>()] : [],
        AudioUri = (string)input["audioUri"]!,
    };

    public sealed record RemoveResult(TrackId TrackId, long Version);

    public sealed record RetryResult(int Enqueued);

    public sealed record ReindexResult(string ModelVersion);
}

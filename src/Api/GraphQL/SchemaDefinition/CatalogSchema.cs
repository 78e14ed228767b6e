using MusicSearch.Api.Errors;
using MusicSearch.Api.Paging;
using MusicSearch.Api.Previews;
using MusicSearch.Api.Similarity;
using MusicSearch.Api.Store;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;
using MusicSearch.GraphQL.Types;

namespace MusicSearch.Api.GraphQL.SchemaDefinition;

/// <summary>
/// The catalog: the <c>Track</c> type (payload, signed preview URL, indexing state, neighbours), the filter input every
/// search takes, and the <c>track</c> and <c>tracks</c> queries.
/// </summary>
public sealed class CatalogSchema(ActiveStore active, TrackLoaders loaders, PreviewUrlSigner previews)
{
    private const int ListPage = 500;

    internal void AddTypes(SchemaBuilder schema) => schema
        .Object<Track>("Track", type => type
            .Description("A catalog track: what the catalog says about it, where to listen, and how it sounds next to others.")
            .Field("id", "ID!", track => track.Id.Value)
            .Field("title", "String!", track => track.Title)
            .Field("artist", "String", track => track.Artist)
            .Field("album", "String", track => track.Album)
            .Field("genre", "String", track => track.Genre)
            .Field("year", "Int", track => track.Year)
            .Field("bpm", "Float", field => field.Description("Tempo in beats per minute, when the catalog knows it.").Resolve(context => context.Parent.Bpm))
            .Field("durationSeconds", "Float", track => track.DurationSeconds)
            .Field("tags", "[String!]!", track => track.Tags)
            .Field("previewUrl", "String!", field => field
                .Description("An absolute URL of the track's audio for an `<audio>` element: signed, works without an API key, expires after a few minutes "
                    + "(ask again for a fresh one). Range requests are supported.")
                .Resolve(context => context.Request().Origin + previews.Issue(context.Parent.Id)))
            .Field("indexing", "TrackIndexing", field => field
                .Description("Where the track stands in the active collection's indexing; null when that collection does not hold it.")
                .ResolveService(async context => await loaders.RecordAsync(context.Untyped, context.Parent.Id).ConfigureAwait(false) is { } record
                    ? record.State
                    : null))
            .Field("similar", "[SimilarTrack!]", field => field
                .Description("The tracks that sound most like this one, best first; null when the track has no vectors yet. Selected on every track of a "
                    + "list, the searches run as one batch.")
                .Argument("first", "Int", argument => argument.Default(5).Description("How many, 1–100."))
                .Argument("filter", "TrackFilter")
                .Argument("excludeSameArtist", "Boolean", false)
                .Argument("excludeSameAlbum", "Boolean", false)
                .Argument("maxPerArtist", "Int")
                .Argument("minScore", "Float")
                .ResolveService(async context =>
                {
                    var request = InputReader.Similarity(context.Untyped);
                    OffsetCursor.CheckFirst(request.First);
                    var template = new SimilarityQuery
                    {
                        Limit = request.First,
                        Filter = request.Filter,
                        ExcludeSeedArtists = request.ExcludeSameArtist,
                        ExcludeSeedAlbums = request.ExcludeSameAlbum,
                        MaxPerArtist = request.MaxPerArtist,
                        MinScore = request.MinScore is { } score ? (float)SimilarityScore.ToCosine(CheckedScore(score)) : null,
                    };
                    var neighbours = await loaders.NeighboursAsync(context.Untyped, context.Parent.Id, template).ConfigureAwait(false);
                    return neighbours?.Select(found => new ScoredTrack(found.Track, SimilarityScore.FromCosine(found.Score), found.Score)).ToArray();
                })))
        .Object<TrackState>("TrackIndexing", type => type
            .Description("A track's indexing state in one collection.")
            .Field("status", "TrackStatus!", state => state.Status)
            .Field("version", "String!", field => field
                .Description("The catalog event version that last changed the track (a 64-bit number, as a string).")
                .Resolve(context => context.Parent.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Field("attempts", "Int!", state => state.Attempts)
            .Field("updatedAt", "DateTime!", state => state.UpdatedAt)
            .Field("indexedAt", "DateTime", state => state.IndexedAt)
            .Field("modelVersion", "String", field => field.Description("The model whose vectors the track has; null without vectors.").Resolve(context => context.Parent.ModelVersion))
            .Field("failure", "IndexingFailure", field => field
                .Description("Why indexing failed; null unless the status is FAILED.")
                .Resolve(context => context.Parent.Status == TrackStatus.Failed ? context.Parent : null)))
        .Object<TrackState>("IndexingFailure", type => type
            .Description("Why a track could not be indexed.")
            .Field("code", "String!", field => field.Description("Stable and machine-readable: `not-audio`, `corrupt`, `too-long`, `not-found`, …")
                .Resolve(context => context.Parent.FailureCode ?? "unknown"))
            .Field("reason", "String!", state => state.FailureReason ?? ""))
        .Enum("TrackStatus", type => type
            .Description("Where a track is in the indexing pipeline.")
            .Value("PENDING", TrackStatus.Pending, "Waiting to be (re-)embedded; vectors from an earlier indexing stay searchable.")
            .Value("INDEXED", TrackStatus.Indexed, "Embedded with the collection's model and searchable.")
            .Value("FAILED", TrackStatus.Failed, "Could not be embedded; see `failure`."))
        .InputObject("TrackFilter", type => type
            .Description("Conditions on the catalog payload. Lists match any of their values; text matches exactly, ignoring case; ranges are inclusive; "
                + "a track whose field is unknown fails a condition on that field.")
            .Field("artists", "[String!]")
            .Field("albums", "[String!]")
            .Field("genres", "[String!]")
            .Field("tags", "[String!]", field => field.Description("The track carries at least one of these tags."))
            .Field("yearFrom", "Int")
            .Field("yearTo", "Int")
            .Field("bpmFrom", "Float")
            .Field("bpmTo", "Float")
            .Field("excludeArtists", "[String!]")
            .Field("excludeAlbums", "[String!]")
            .Field("excludeTracks", "[ID!]"))
        .AddConnection<TrackEdgeItem, Track>("Track", "Track", item => item.Track, "A page of catalog tracks.", edge => edge
            .Field("relevance", "Float", field => field
                .Description("How well the track matches `search` (higher is better, not bounded); null without a search.")
                .Resolve(context => context.Parent.Node.Relevance)));

    internal void AddQueries(ObjectTypeBuilder<object> query) => query
        .Field("track", "Track", field => field
            .Description("One catalog track (any status). Null, with a NOT_FOUND error, when the active collection does not hold it.")
            .Argument("id", "ID!")
            .ResolveService(async context =>
            {
                var id = InputReader.Id(context.Argument<string>("id"), "id");
                return (await loaders.RecordAsync(context.Untyped, id).ConfigureAwait(false))?.Track
                    ?? throw new TrackNotFoundException($"no track '{id}' in the catalog");
            }))
        .Field("tracks", "TrackConnection!", field => field
            .Description("Catalog tracks, pending and failed ones included: those whose title, artist or album match `search` (every word; the last "
                + "may be a prefix), best match first, or else all in id order.")
            .Argument("search", "String", argument => argument.Description("Words to find in titles, artists and albums."))
            .Argument("filter", "TrackFilter")
            .Argument("status", "TrackStatus", argument => argument.Description("Only tracks in this status."))
            .Argument("first", "Int", argument => argument.Default(20).Description("Page size, 1–100."))
            .Argument("after", "String", argument => argument.Description("The `endCursor` of the previous page."))
            .ResolveService(context =>
            {
                var first = context.Argument<int>("first");
                OffsetCursor.CheckFirst(first);
                var filter = InputReader.Filter(context.Arguments.GetValueOrDefault("filter"));
                var status = context.Argument<TrackStatus?>("status");
                var after = context.Argument<string?>("after");
                return context.Argument<string?>("search") is { } search
                    ? SearchAsync(search, filter, status, first, after, context.CancellationToken)
                    : ListAsync(filter, status, first, after, context.CancellationToken);
            }));

    /// <summary>Text search, paged by position: the store ranks, the page is cut from its top offset + first + 1.</summary>
    private async Task<Connection<TrackEdgeItem>> SearchAsync(string search, TrackFilter filter, TrackStatus? status, int first, string? after,
        CancellationToken cancellationToken)
    {
        var offset = OffsetCursor.Decode(after);
        var store = await active.GetAsync(cancellationToken).ConfigureAwait(false);
        if (offset + first + 1 > SimilarityQuery.MaxLimit)
        {
            throw new ArgumentException($"text search pages reach at most the {SimilarityQuery.MaxLimit}th match: narrow the search instead");
        }
        // The store ranks all statuses together: with a status condition, the page is cut from its whole ranked list.
        var limit = status is null ? offset + first + 1 : SimilarityQuery.MaxLimit;
        var matches = await store.SearchTextAsync(new TextQuery(search) { Limit = limit, Filter = filter }, cancellationToken).ConfigureAwait(false);
        var items = matches.Where(match => status is null || match.Record.State.Status == status)
            .Skip(offset).Take(first + 1).Select(match => new TrackEdgeItem(match.Record.Track, match.Score)).ToArray();
        return Connections.FromOffsetPage(OffsetCursor.PageOf(items, offset, first), after);
    }

    /// <summary>The catalog in id order from the cursor on; a filter is applied while listing, so a narrow one reads further.</summary>
    private async Task<Connection<TrackEdgeItem>> ListAsync(TrackFilter filter, TrackStatus? status, int first, string? after, CancellationToken cancellationToken)
    {
        var cursor = KeyCursor.Decode(after);
        var store = await active.GetAsync(cancellationToken).ConfigureAwait(false);
        var items = new List<Track>(first + 1);
        do
        {
            // Without a filter every listed track is shown, so one more than the page is all there is to read.
            var limit = filter == TrackFilter.None ? first + 1 : ListPage;
            var page = await store.ListAsync(new TrackListQuery { Status = status, After = cursor, Limit = limit }, cancellationToken).ConfigureAwait(false);
            foreach (var record in page.Items)
            {
                if (items.Count <= first && filter.Matches(record.Track))
                {
                    items.Add(record.Track);
                }
            }
            cursor = page.Next;
        }
        while (cursor is not null && items.Count <= first);
        var edges = items.Take(first).Select(track => new Edge<TrackEdgeItem>(KeyCursor.Encode(track.Id), new TrackEdgeItem(track, null))).ToArray();
        return new Connection<TrackEdgeItem>(edges, new PageInfo(items.Count > first, after is not null, edges.FirstOrDefault()?.Cursor, edges.LastOrDefault()?.Cursor));
    }

    private static double CheckedScore(double score)
    {
        SimilarityScore.Check(score, "minScore");
        return score;
    }
}

/// <summary>A track listed by <c>tracks</c>, with its text-search relevance when there was a search.</summary>
public sealed record TrackEdgeItem(Track Track, double? Relevance);

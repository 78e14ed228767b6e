using MusicSearch.Api.Security;
using MusicSearch.Api.Similarity;
using MusicSearch.Core.Catalog;
using MusicSearch.GraphQL.Types;

namespace MusicSearch.Api.GraphQL.SchemaDefinition;

/// <summary>
/// "Sounds like": similar tracks to a track, to an uploaded clip and to several examples, why two tracks are similar,
/// playlists that walk between two tracks, near-duplicate audio, and the catalog map. Every score is the 0–1
/// <see cref="SimilarityScore"/> (1 identical, 0.5 unrelated); the raw cosine is there too.
/// </summary>
public sealed class SimilaritySchema(SimilarTracks similar, AudioQuery audio, SimilarityExplainer explainer, PlaylistPath paths, DuplicateFinder duplicates,
    CatalogMap map)
{
    private const double DefaultDuplicateThreshold = 0.99;
    private const string ScoreDescription = "How alike, 0–1: the cosine similarity mapped linearly, 1 identical, 0.5 unrelated.";

    internal static void AddTypes(SchemaBuilder schema) => schema
        .Object<ScoredTrack>("SimilarTrack", type => type
            .Description("A track and how much it sounds like the query.")
            .Field("track", "Track!", result => result.Track)
            .Field("score", "Float!", field => field.Description(ScoreDescription).Resolve(context => context.Parent.Score))
            .Field("cosine", "Float!", field => field.Description("The raw cosine similarity of the vectors, -1 to 1.").Resolve(context => context.Parent.Cosine)))
        .AddConnection<ScoredTrack, Track>("SimilarTrack", "Track", result => result.Track, "Similar tracks, best first.", edge => edge
            .Field("score", "Float!", field => field.Description(ScoreDescription).Resolve(context => context.Parent.Node.Score))
            .Field("cosine", "Float!", field => field.Description("The raw cosine similarity of the vectors, -1 to 1.").Resolve(context => context.Parent.Node.Cosine)))
        .Object<AudioQueryResult>("AudioSearch", type => type
            .Description("What was heard of an uploaded clip, and the catalog tracks most like it.")
            .Field("durationSeconds", "Float!", result => result.DurationSeconds)
            .Field("windows", "Int!", field => field.Description("Analysis windows the clip was embedded in.").Resolve(context => context.Parent.Windows))
            .Field("matches", "SimilarTrackConnection!", field => field.Resolve(context => Connections.FromOffsetPage(context.Parent.Results, null))))
        .Object<SimilarityExplanation>("SimilarityExplanation", type => type
            .Description("Why two tracks are similar: the overall score and the similarity of every window of A with every window of B.")
            .Field("a", "Track!", explanation => explanation.A)
            .Field("b", "Track!", explanation => explanation.B)
            .Field("score", "Float!", explanation => explanation.Score)
            .Field("cosine", "Float!", explanation => explanation.Cosine)
            .Field("windowsA", "[Window!]!", explanation => explanation.WindowsA)
            .Field("windowsB", "[Window!]!", explanation => explanation.WindowsB)
            .Field("matrix", "[[Float!]!]!", field => field
                .Description("`matrix[i][j]` is the 0–1 score of window i of A against window j of B.")
                .Resolve(context => context.Parent.Matrix.Select(row => row.Select(cosine => SimilarityScore.FromCosine(cosine)))))
            .Field("best", "WindowPair", field => field
                .Description("The two windows that sound most alike (the earliest pair of equals); null when a track has no windows.")
                .Resolve(context => context.Parent.Best)))
        .Object<WindowSpan>("Window", type => type
            .Description("An analysis window of a track (30 s for MusicFM models; the last may be shorter).")
            .Field("index", "Int!", window => window.Index)
            .Field("startSeconds", "Float!", window => window.StartSeconds)
            .Field("durationSeconds", "Float!", window => window.DurationSeconds))
        .Object<WindowPair>("WindowPair", type => type
            .Field("a", "Window!", pair => pair.A)
            .Field("b", "Window!", pair => pair.B)
            .Field("score", "Float!", pair => pair.Score)
            .Field("cosine", "Float!", pair => pair.Cosine))
        .Object<PlaylistStop>("PathStop", type => type
            .Description("A track of a playlist path.")
            .Field("track", "Track!", stop => stop.Track)
            .Field("position", "Float!", field => field.Description("How far along the path: 0 at the first track, 1 at the last.").Resolve(context => context.Parent.Position))
            .Field("score", "Float!", field => field.Description("How well the track matches its point on the path (1 for both ends).").Resolve(context => context.Parent.Score)))
        .Object<DuplicatePair>("DuplicatePair", type => type
            .Description("Two tracks whose audio is nearly identical; `a` has the smaller id.")
            .Field("a", "Track!", pair => pair.A)
            .Field("b", "Track!", pair => pair.B)
            .Field("score", "Float!", pair => pair.Score)
            .Field("cosine", "Float!", pair => pair.Cosine))
        .AddConnection<DuplicatePair, DuplicatePair>("Duplicate", "DuplicatePair", pair => pair, "Near-duplicate pairs, most similar first.")
        .Object<CatalogProjection>("CatalogMap", type => type
            .Description("A deterministic 2-D projection (PCA) of track vectors, for plotting the catalog.")
            .Field("points", "[MapPoint!]!", projection => projection.Points)
            .Field("indexedTracks", "Int!", field => field.Description("Indexed tracks the sample was drawn from.").Resolve(context => context.Parent.Indexed))
            .Field("explainedVarianceX", "Float!", field => field.Description("Share of the sample's variance along x, 0–1.").Resolve(context => context.Parent.ExplainedX))
            .Field("explainedVarianceY", "Float!", field => field.Description("Share of the sample's variance along y, 0–1.").Resolve(context => context.Parent.ExplainedY)))
        .Object<MapPoint>("MapPoint", type => type
            .Field("track", "Track!", point => point.Track)
            .Field("x", "Float!", point => point.X)
            .Field("y", "Float!", point => point.Y));

    internal void AddQueries(ObjectTypeBuilder<object> query) => query
        .Field("similarTracks", "SimilarTrackConnection", field => SimilarityArguments(field
                .Description("The tracks that sound most like a catalog track (never itself), best first. Null, with a NOT_FOUND error, when the "
                    + "track is not in the catalog or has no vectors yet.")
                .Argument("trackId", "ID!"))
            .ResolveService(async context =>
            {
                var request = InputReader.Similarity(context.Untyped);
                var page = await similar.ToTrackAsync(InputReader.Id(context.Argument<string>("trackId"), "trackId"), request, context.CancellationToken)
                    .ConfigureAwait(false);
                return Connections.FromOffsetPage(page, request.After);
            }))
        .Field("similarToAudio", "AudioSearch", field => field
            .Description("The catalog tracks most like an uploaded audio clip, embedded with the same model as the catalog. Send the file as a "
                + "multipart request; needs an editor key. Refused clips (not audio, damaged, too long, too short, too large) fail with "
                + "BAD_USER_INPUT and `extensions.reason`.")
            .Argument("file", "Upload!")
            .Argument("first", "Int", argument => argument.Default(10).Description("Page size, 1–100."))
            .Argument("filter", "TrackFilter")
            .Argument("maxPerArtist", "Int")
            .Argument("minScore", "Float")
            .ResolveService(async context =>
            {
                var request = context.Request();
                request.RequireRole(ApiRoles.Editor, "similarToAudio");
                var file = request.Upload(context.Argument<UploadReference>("file"));
                var content = file.OpenReadStream();
                await using (content.ConfigureAwait(false))
                {
                    return await audio.SearchAsync(content, file.FileName, InputReader.Similarity(context.Untyped), context.CancellationToken).ConfigureAwait(false);
                }
            }))
        .Field("recommend", "SimilarTrackConnection", field => SimilarityArguments(field
                .Description("Tracks like all of the positive examples and unlike the negative ones (none of them returned), best first. Null, with "
                    + "a NOT_FOUND error, when an example is not in the catalog.")
                .Argument("positive", "[ID!]!", argument => argument.Description("1 to 64 tracks the results should sound like."))
                .Argument("negative", "[ID!]", argument => argument.Description("Tracks the results should not sound like.")))
            .ResolveService(async context =>
            {
                var request = InputReader.Similarity(context.Untyped);
                var page = await similar.RecommendAsync(InputReader.Ids(context.ListArgument<string>("positive"), "positive"),
                    InputReader.Ids(context.ListArgument<string>("negative"), "negative"), request, context.CancellationToken).ConfigureAwait(false);
                return Connections.FromOffsetPage(page, request.After);
            }))
        .Field("explainSimilarity", "SimilarityExplanation", field => field
            .Description("Why two tracks sound alike. Null, with a NOT_FOUND error, when either is not in the catalog or has no vectors yet.")
            .Argument("a", "ID!")
            .Argument("b", "ID!")
            .ResolveService(context => explainer.ExplainAsync(InputReader.Id(context.Argument<string>("a"), "a"), InputReader.Id(context.Argument<string>("b"), "b"),
                context.CancellationToken)))
        .Field("path", "[PathStop!]", field => field
            .Description("A playlist that walks from one track to another through the catalog: evenly spaced points between the two, each the "
                + "nearest track not used yet. Null, with a NOT_FOUND error, when either end is not in the catalog.")
            .Argument("from", "ID!")
            .Argument("to", "ID!")
            .Argument("steps", "Int", argument => argument.Default(10).Description($"Tracks in the playlist, both ends included: 2–{PlaylistPath.MaxSteps}."))
            .Argument("filter", "TrackFilter", argument => argument.Description("Conditions on the tracks in between."))
            .ResolveService(context => paths.BuildAsync(InputReader.Id(context.Argument<string>("from"), "from"), InputReader.Id(context.Argument<string>("to"), "to"),
                context.Argument<int>("steps"), InputReader.Filter(context.Arguments.GetValueOrDefault("filter")), context.CancellationToken)))
        .Field("duplicates", "DuplicateConnection!", field => field
            .Description("Pairs of catalog tracks whose audio is nearly identical (re-uploads, other masters), most similar first. The first call "
                + "scans the catalog; later pages come from that scan until the catalog changes.")
            .Argument("threshold", "Float", argument => argument.Default(DefaultDuplicateThreshold)
                .Description($"Least 0–1 score of a pair, {SimilarityScore.FromCosine(DuplicateFinder.MinThreshold)}–1."))
            .Argument("first", "Int", argument => argument.Default(20).Description("Page size, 1–100."))
            .Argument("after", "String")
            .ResolveService(async context =>
            {
                var threshold = context.Argument<double>("threshold");
                var minimum = SimilarityScore.FromCosine(DuplicateFinder.MinThreshold);
                if (!double.IsFinite(threshold) || threshold < minimum || threshold > 1)
                {
                    throw new ArgumentException($"threshold must be a score between {minimum} and 1, got {threshold}");
                }
                var after = context.Argument<string?>("after");
                var page = await duplicates.FindAsync(SimilarityScore.ToCosine(threshold), context.Argument<int>("first"), after, context.CancellationToken)
                    .ConfigureAwait(false);
                return Connections.FromOffsetPage(page, after);
            }))
        .Field("map", "CatalogMap!", field => field
            .Description("A 2-D map of the catalog for editors: a deterministic sample of indexed tracks projected on the two principal axes of "
                + "their vectors.")
            .Argument("sample", "Int", argument => argument.Default(1000).Description($"Tracks on the map, 1–{CatalogMap.MaxSample}."))
            .ResolveService(context => map.ProjectAsync(context.Argument<int>("sample"), context.CancellationToken)));

    /// <summary>The arguments every "tracks like these" list takes: page, filter, diversity, score floor.</summary>
    private static FieldBuilder<object> SimilarityArguments(FieldBuilder<object> field) => field
        .Argument("first", "Int", argument => argument.Default(10).Description("Page size, 1–100."))
        .Argument("after", "String", argument => argument.Description("The `endCursor` of the previous page."))
        .Argument("filter", "TrackFilter")
        .Argument("excludeSameArtist", "Boolean", argument => argument.Default(false).Description("Leave out tracks by the examples' artists."))
        .Argument("excludeSameAlbum", "Boolean", argument => argument.Default(false).Description("Leave out tracks from the examples' albums."))
        .Argument("maxPerArtist", "Int", argument => argument.Description("At most this many results by one artist."))
        .Argument("minScore", "Float", argument => argument.Description("Leave out results scoring below this 0–1 score."));
}

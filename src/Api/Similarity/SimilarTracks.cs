using MusicSearch.Api.Errors;
using MusicSearch.Api.Paging;
using MusicSearch.Api.Store;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;

namespace MusicSearch.Api.Similarity;

/// <summary>
/// "Tracks like this one", "like these and unlike those", "like this audio": one store search each against the active
/// collection, with the request's filters and diversity rules, paged by offset, scores normalised to 0–1.
/// </summary>
public sealed class SimilarTracks(ActiveStore active)
{
    /// <exception cref="TrackNotFoundException">The seed is not in the catalog or has no vectors.</exception>
    public Task<Page<ScoredTrack>> ToTrackAsync(TrackId trackId, SimilarityRequest request, CancellationToken cancellationToken) =>
        SearchAsync([QueryExample.OfTrack(trackId)], [], request, cancellationToken);

    /// <summary>Mean of the positives pushed away from the negatives (<see cref="QueryVector"/>); no seed is returned.</summary>
    public Task<Page<ScoredTrack>> RecommendAsync(IReadOnlyList<TrackId> positive, IReadOnlyList<TrackId> negative, SimilarityRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(positive);
        ArgumentNullException.ThrowIfNull(negative);
        if (positive.Count == 0)
        {
            throw new ArgumentException("recommendations need at least one positive track");
        }
        var overlap = positive.Intersect(negative).FirstOrDefault();
        if (overlap != default)
        {
            throw new ArgumentException($"track '{overlap}' is both a positive and a negative example");
        }
        return SearchAsync([.. positive.Distinct().Select(QueryExample.OfTrack)], [.. negative.Distinct().Select(QueryExample.OfTrack)], request, cancellationToken);
    }

    /// <summary>Tracks like a vector of the active collection's model (an embedded upload).</summary>
    public Task<Page<ScoredTrack>> ToVectorAsync(float[] vector, SimilarityRequest request, CancellationToken cancellationToken) =>
        SearchAsync([QueryExample.OfVector(vector)], [], request, cancellationToken);

    private async Task<Page<ScoredTrack>> SearchAsync(QueryExample[] positive, QueryExample[] negative, SimilarityRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        OffsetCursor.CheckFirst(request.First);
        if (request.MinScore is { } minimum)
        {
            SimilarityScore.Check(minimum, "minScore");
        }
        var offset = OffsetCursor.Decode(request.After);
        var store = await active.GetAsync(cancellationToken).ConfigureAwait(false);
        var query = new SimilarityQuery
        {
            Positive = positive,
            Negative = negative,
            // One more than the page tells whether another page follows.
            Limit = request.First + 1,
            Offset = offset,
            Filter = request.Filter ?? TrackFilter.None,
            ExcludeSeedArtists = request.ExcludeSameArtist,
            ExcludeSeedAlbums = request.ExcludeSameAlbum,
            MaxPerArtist = request.MaxPerArtist,
            MinScore = request.MinScore is { } score ? (float)SimilarityScore.ToCosine(score) : null,
        };
        IReadOnlyList<SimilarTrack> results;
        try
        {
            results = await store.SearchAsync(query, cancellationToken).ConfigureAwait(false);
        }
        catch (UnknownTrackException ex)
        {
            throw new TrackNotFoundException(ex.Message);
        }
        var scored = results.Select(result => new ScoredTrack(result.Track, SimilarityScore.FromCosine(result.Score), result.Score)).ToArray();
        return OffsetCursor.PageOf(scored, offset, request.First);
    }
}

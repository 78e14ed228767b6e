using System.Numerics.Tensors;
using MusicSearch.Api.Store;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;

namespace MusicSearch.Api.Similarity;

/// <summary>A stop of a playlist path: the track, how far along the path it stands (0 = start, 1 = end) and how well it matches that point.</summary>
public sealed record PlaylistStop(Track Track, double Position, double Score);

/// <summary>
/// A playlist that walks from track A to track B: targets evenly spaced on the great circle between the two (unit)
/// vectors (spherical interpolation), and for each target in order the nearest track not used yet. A first, B last,
/// no repeats. Deterministic: every target's candidates come from one batched exact search and ties go to the smaller id.
/// </summary>
public sealed class PlaylistPath(ActiveStore active)
{
    public const int MaxSteps = 50;

    /// <param name="from">First track.</param>
    /// <param name="to">Last track.</param>
    /// <param name="steps">Tracks in the playlist, A and B included (2..<see cref="MaxSteps"/>).</param>
    /// <param name="filter">Conditions on the tracks in between.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>The stops; fewer than <paramref name="steps"/> only when the catalog (or the filter) leaves too few tracks.</returns>
    public async Task<IReadOnlyList<PlaylistStop>> BuildAsync(TrackId from, TrackId to, int steps, TrackFilter? filter, CancellationToken cancellationToken)
    {
        if (steps is < 2 or > MaxSteps)
        {
            throw new ArgumentException($"steps must be between 2 and {MaxSteps}, got {steps}");
        }
        if (from == to)
        {
            throw new ArgumentException("a path needs two different tracks");
        }
        var store = await active.GetAsync(cancellationToken).ConfigureAwait(false);
        var start = await ActiveStore.GetWithVectorsAsync(store, from, cancellationToken).ConfigureAwait(false);
        var end = await ActiveStore.GetWithVectorsAsync(store, to, cancellationToken).ConfigureAwait(false);
        var a = start.Vectors!.Vector;
        var b = end.Vectors!.Vector;

        var between = steps - 2;
        var positions = Enumerable.Range(1, between).Select(i => (double)i / (steps - 1)).ToArray();
        var exclude = (filter ?? TrackFilter.None).Excluding([from, to], [], []);
        // Each target's top `steps` holds at least one track that the earlier targets did not take (they take at most steps - 2).
        var queries = positions.Select(t => SimilarityQuery.ForVector(Slerp(a, b, t), limit: steps) with { Filter = exclude }).ToArray();
        var candidates = between == 0 ? [] : await store.SearchBatchAsync(queries, cancellationToken).ConfigureAwait(false);

        var stops = new List<PlaylistStop> { new(start.Track, 0, 1) };
        var used = new HashSet<TrackId> { from, to };
        for (var i = 0; i < between; i++)
        {
            var pick = candidates[i]
                .Where(candidate => !used.Contains(candidate.Track.Id))
                .OrderByDescending(candidate => candidate.Score)
                .ThenBy(candidate => candidate.Track.Id)
                .FirstOrDefault();
            if (pick is not null)
            {
                used.Add(pick.Track.Id);
                stops.Add(new PlaylistStop(pick.Track, positions[i], SimilarityScore.FromCosine(pick.Score)));
            }
        }
        stops.Add(new PlaylistStop(end.Track, 1, 1));
        return stops;
    }

    /// <summary>The unit vector a fraction <paramref name="t"/> of the way from <paramref name="a"/> to <paramref name="b"/> along their great circle.</summary>
    internal static float[] Slerp(float[] a, float[] b, double t)
    {
        var cosine = Math.Clamp(TensorPrimitives.CosineSimilarity(a, b), -1f, 1f);
        var angle = Math.Acos(cosine);
        var sine = Math.Sin(angle);
        // Nearly parallel (or opposite) vectors have no well-defined great circle: interpolate linearly, then normalise.
        var (wa, wb) = sine < 1e-6 ? (1 - t, t) : (Math.Sin((1 - t) * angle) / sine, Math.Sin(t * angle) / sine);
        var result = new float[a.Length];
        var normA = TensorPrimitives.Norm(a);
        var normB = TensorPrimitives.Norm(b);
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = (float)(wa * a[i] / normA + wb * b[i] / normB);
        }
        var norm = TensorPrimitives.Norm(result);
        if (norm > 0)
        {
            TensorPrimitives.Divide(result, norm, result);
        }
        return norm > 0 ? result : (float[])a.Clone();
    }
}

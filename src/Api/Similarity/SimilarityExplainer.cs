using System.Numerics.Tensors;
using MusicSearch.Api.Store;
using MusicSearch.Core.Catalog;

namespace MusicSearch.Api.Similarity;

/// <summary>A window of a track: its position in the track's window list and where it lies in the audio.</summary>
public sealed record WindowSpan(int Index, double StartSeconds, double DurationSeconds);

/// <summary>The two windows that sound most alike, with where each starts in its track.</summary>
public sealed record WindowPair(WindowSpan A, WindowSpan B, double Cosine, double Score);

/// <summary>
/// Why two tracks are similar: their overall score, and the cosine similarity of every window of A with every window of
/// B (<see cref="Matrix"/>[a][b]), whose maximum is <see cref="Best"/>.
/// </summary>
public sealed record SimilarityExplanation(Track A, Track B, double Score, double Cosine, IReadOnlyList<WindowSpan> WindowsA,
    IReadOnlyList<WindowSpan> WindowsB, IReadOnlyList<float[]> Matrix, WindowPair? Best);

/// <summary>Explains a similarity from the tracks' window vectors (ARCHITECTURE.md §5 keeps one per 30 s window).</summary>
public sealed class SimilarityExplainer(ActiveStore active)
{
    /// <exception cref="Errors.TrackNotFoundException">Either track is missing or has no vectors.</exception>
    public async Task<SimilarityExplanation> ExplainAsync(TrackId a, TrackId b, CancellationToken cancellationToken)
    {
        var store = await active.GetAsync(cancellationToken).ConfigureAwait(false);
        var first = await ActiveStore.GetWithVectorsAsync(store, a, cancellationToken).ConfigureAwait(false);
        var second = await ActiveStore.GetWithVectorsAsync(store, b, cancellationToken).ConfigureAwait(false);
        var windowsA = first.Vectors!.Windows;
        var windowsB = second.Vectors!.Windows;

        var matrix = new float[windowsA.Count][];
        WindowPair? best = null;
        for (var i = 0; i < windowsA.Count; i++)
        {
            matrix[i] = new float[windowsB.Count];
            for (var j = 0; j < windowsB.Count; j++)
            {
                var cosine = TensorPrimitives.CosineSimilarity(windowsA[i].Vector, windowsB[j].Vector);
                matrix[i][j] = cosine;
                // Strictly greater: the earliest pair wins a tie, so the answer does not depend on float noise elsewhere.
                if (best is null || cosine > best.Cosine)
                {
                    best = new WindowPair(Span(windowsA, i), Span(windowsB, j), cosine, SimilarityScore.FromCosine(cosine));
                }
            }
        }
        var overall = TensorPrimitives.CosineSimilarity(first.Vectors.Vector, second.Vectors.Vector);
        return new SimilarityExplanation(first.Track, second.Track, SimilarityScore.FromCosine(overall), overall,
            [.. windowsA.Select((_, i) => Span(windowsA, i))], [.. windowsB.Select((_, j) => Span(windowsB, j))], matrix, best);
    }

    private static WindowSpan Span(IReadOnlyList<WindowVector> windows, int index) =>
        new(index, windows[index].StartSeconds, windows[index].DurationSeconds);
}

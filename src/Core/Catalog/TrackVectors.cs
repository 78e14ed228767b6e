namespace MusicSearch.Core.Catalog;

/// <summary>
/// The embeddings of one track: one L2-normalised vector for the whole track and one per analysis window, in time order
/// (ARCHITECTURE.md §5).
/// </summary>
public sealed record TrackVectors(float[] Vector, IReadOnlyList<WindowVector> Windows)
{
    public int Dimensions => Vector.Length;

    /// <summary>Throws <see cref="ArgumentException"/> unless every vector has <paramref name="dimensions"/> finite values.</summary>
    public void Validate(int dimensions)
    {
        ArgumentNullException.ThrowIfNull(Vector);
        ArgumentNullException.ThrowIfNull(Windows);
        Check(Vector, dimensions, "the track vector");
        for (var i = 0; i < Windows.Count; i++)
        {
            var window = Windows[i] ?? throw new ArgumentException($"window {i} is null");
            Check(window.Vector, dimensions, $"window {i}");
            if (!double.IsFinite(window.StartSeconds) || window.StartSeconds < 0 || !double.IsFinite(window.DurationSeconds) || window.DurationSeconds <= 0)
            {
                throw new ArgumentException($"window {i} has an invalid span ({window.StartSeconds} s + {window.DurationSeconds} s)");
            }
        }
    }

    private static void Check(float[]? vector, int dimensions, string what)
    {
        if (vector is null || vector.Length != dimensions)
        {
            throw new ArgumentException($"{what} must have {dimensions} dimensions, got {vector?.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}");
        }
        foreach (var value in vector)
        {
            if (!float.IsFinite(value))
            {
                throw new ArgumentException($"{what} contains a non-finite value");
            }
        }
    }
}

/// <summary>The embedding of one analysis window of a track.</summary>
public sealed record WindowVector(double StartSeconds, double DurationSeconds, float[] Vector);

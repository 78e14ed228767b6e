namespace MusicSearch.Core.Storage;

/// <summary>
/// How positive and negative examples combine into one query vector, shared by every store so that they rank alike:
/// the mean of the (normalised) positives, pushed away from the mean of the negatives by the same amount,
/// <c>2·mean(pos) − mean(neg)</c> — Qdrant's "average vector" recommendation strategy.
/// </summary>
public static class QueryVector
{
    public static float[] Combine(IReadOnlyList<float[]> positives, IReadOnlyList<float[]> negatives)
    {
        ArgumentNullException.ThrowIfNull(positives);
        ArgumentNullException.ThrowIfNull(negatives);
        if (positives.Count == 0)
        {
            throw new ArgumentException("at least one positive example is needed", nameof(positives));
        }
        var dimensions = positives[0].Length;
        var query = new float[dimensions];
        Accumulate(query, positives, negatives.Count == 0 ? 1f : 2f, dimensions);
        Accumulate(query, negatives, -1f, dimensions);
        return Normalised(query);
    }

    private static void Accumulate(float[] query, IReadOnlyList<float[]> examples, float weight, int dimensions)
    {
        foreach (var example in examples)
        {
            if (example.Length != dimensions)
            {
                throw new ArgumentException($"every example must have {dimensions} dimensions, got {example.Length}");
            }
            var scale = weight / examples.Count / Norm(example);
            for (var i = 0; i < dimensions; i++)
            {
                query[i] += scale * example[i];
            }
        }
    }

    private static float[] Normalised(float[] vector)
    {
        var norm = Norm(vector);
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] /= norm;
        }
        return vector;
    }

    private static float Norm(float[] vector)
    {
        var sum = 0.0;
        foreach (var value in vector)
        {
            sum += (double)value * value;
        }
        var norm = (float)Math.Sqrt(sum);
        return norm > 0 && float.IsFinite(norm)
            ? norm
            : throw new ArgumentException("query vectors must be finite and not all zero (the positives may cancel the negatives)");
    }
}

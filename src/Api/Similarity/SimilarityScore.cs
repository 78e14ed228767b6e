namespace MusicSearch.Api.Similarity;

/// <summary>
/// Scores shown to apps: cosine similarity mapped linearly from [-1, 1] to [0, 1] by <c>(1 + cos) / 2</c>. Linear, so the
/// order and the gaps between results stay as the store ranked them (a clamp at 0 would merge every unrelated track);
/// 0.5 means orthogonal, 1 identical. Thresholds given as scores are mapped back the same way.
/// </summary>
public static class SimilarityScore
{
    public static double FromCosine(double cosine) => Math.Clamp((1 + cosine) / 2, 0, 1);

    public static double ToCosine(double score) => 2 * score - 1;

    /// <exception cref="ArgumentException">Not a number in [0, 1].</exception>
    public static void Check(double score, string name)
    {
        if (!double.IsFinite(score) || score is < 0 or > 1)
        {
            throw new ArgumentException($"{name} must be a score between 0 and 1, got {score}");
        }
    }
}

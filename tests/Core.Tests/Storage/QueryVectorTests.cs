using MusicSearch.Core.Storage;

namespace MusicSearch.Core.Tests.Storage;

public sealed class QueryVectorTests
{
    [Fact]
    public void One_positive_becomes_its_own_direction()
    {
        var query = QueryVector.Combine([[3f, 0f, 4f]], []);
        Assert.Equal([0.6f, 0f, 0.8f], query);
    }

    [Fact]
    public void Positives_are_averaged_after_normalising_so_that_no_example_outweighs_another()
    {
        var query = QueryVector.Combine([[10f, 0f], [0f, 0.1f]], []);
        Assert.Equal(query[0], query[1], 1e-6f);
        Assert.Equal(1f, Norm(query), 1e-6f);
    }

    [Fact]
    public void Negatives_push_away_by_the_same_weight_as_positives_pull()
    {
        // 2·mean(pos) − mean(neg) = 2·(1, 0, 0) − (0.6, 0.8, 0) = (1.4, −0.8, 0), then normalised.
        var query = QueryVector.Combine([[2f, 0f, 0f]], [[3f, 4f, 0f]]);
        var norm = Math.Sqrt((1.4 * 1.4) + (0.8 * 0.8));
        Assert.Equal((float)(1.4 / norm), query[0], 1e-6f);
        Assert.Equal((float)(-0.8 / norm), query[1], 1e-6f);
        Assert.Equal(0f, query[2]);
    }

    [Fact]
    public void Several_negatives_are_averaged()
    {
        var query = QueryVector.Combine([[1f, 0f]], [[0f, 1f], [0f, -1f], [0f, 5f]]);
        var expected = new[] { 2f, -1f / 3 };
        var norm = MathF.Sqrt((expected[0] * expected[0]) + (expected[1] * expected[1]));
        Assert.Equal(expected[0] / norm, query[0], 1e-6f);
        Assert.Equal(expected[1] / norm, query[1], 1e-6f);
    }

    [Fact]
    public void Bad_examples_are_argument_errors()
    {
        Assert.Throws<ArgumentException>(() => QueryVector.Combine([], [[1f]]));
        Assert.Throws<ArgumentException>(() => QueryVector.Combine([[1f, 0f]], [[1f, 0f, 0f]]));
        Assert.Throws<ArgumentException>(() => QueryVector.Combine([[1f, 0f], [-1f, 0f]], []));
        Assert.Throws<ArgumentException>(() => QueryVector.Combine([[0f, 0f]], []));
        Assert.Throws<ArgumentException>(() => QueryVector.Combine([[float.NaN, 1f]], []));
    }

    private static float Norm(float[] vector) => MathF.Sqrt(vector.Sum(x => x * x));
}

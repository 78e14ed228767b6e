using MusicSearch.Api.Errors;
using MusicSearch.Api.Similarity;
using MusicSearch.Core.Catalog;

namespace MusicSearch.Api.Tests.Similarity;

public sealed class SimilarityExplainerTests : IAsyncLifetime
{
    private const int Dimensions = 8;
    private SyntheticStore _store = null!;

    public async Task InitializeAsync() => _store = await SyntheticStore.CreateAsync(Dimensions);

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task The_matrix_holds_every_window_pairs_cosine_and_the_best_pair_its_time_offsets()
    {
        // A's third window (60 s) and B's second (30 s) point the same way; everything else is spread out.
        await _store.AddAsync("a", SyntheticStore.Angle(0, Dimensions), windows: [SyntheticStore.Angle(0, Dimensions), SyntheticStore.Angle(40, Dimensions), Scaled(SyntheticStore.Angle(100, Dimensions), 3)]);
        await _store.AddAsync("b", SyntheticStore.Angle(20, Dimensions), windows: [SyntheticStore.Angle(170, Dimensions), SyntheticStore.Angle(100, Dimensions)]);

        var explanation = await new SimilarityExplainer(_store.Active).ExplainAsync(new TrackId("a"), new TrackId("b"), CancellationToken.None);

        Assert.Equal(Math.Cos(20 * Math.PI / 180), explanation.Cosine, 5);
        Assert.Equal((1 + explanation.Cosine) / 2, explanation.Score, 9);
        Assert.Equal([0.0, 30.0, 60.0], explanation.WindowsA.Select(window => window.StartSeconds));
        Assert.Equal([0.0, 30.0], explanation.WindowsB.Select(window => window.StartSeconds));
        Assert.Equal(3, explanation.Matrix.Count);
        double[] anglesB = [170, 100];
        double[] anglesA = [0, 40, 100];
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 2; j++)
            {
                Assert.Equal(Math.Cos((anglesB[j] - anglesA[i]) * Math.PI / 180), explanation.Matrix[i][j], 5);
            }
        }
        var best = explanation.Best!;
        Assert.Equal((2, 60.0, 1, 30.0), (best.A.Index, best.A.StartSeconds, best.B.Index, best.B.StartSeconds));
        Assert.Equal(1.0, best.Cosine, 5);
        Assert.Equal(1.0, best.Score, 5);
    }

    [Fact]
    public async Task An_unknown_track_is_a_typed_error()
    {
        await _store.AddAsync("a", SyntheticStore.Angle(0, Dimensions));
        var explainer = new SimilarityExplainer(_store.Active);
        var error = await Assert.ThrowsAsync<TrackNotFoundException>(() => explainer.ExplainAsync(new TrackId("a"), new TrackId("zzz"), CancellationToken.None));
        Assert.Contains("zzz", error.Message, StringComparison.Ordinal);
    }

    private static float[] Scaled(float[] vector, float factor) => [.. vector.Select(value => value * factor)];
}

using MusicSearch.Api.Similarity;
using MusicSearch.Core.Catalog;

namespace MusicSearch.Api.Tests.Similarity;

public sealed class CatalogMapTests : IAsyncLifetime
{
    private const int Dimensions = 6;
    private SyntheticStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = await SyntheticStore.CreateAsync(Dimensions);
        // Points spread mostly along axis 2, less along axis 4, and a little along axis 0 (unit length is restored by the store).
        for (var i = 0; i < 40; i++)
        {
            var vector = new float[Dimensions];
            vector[2] = (i - 19.5f) / 4;
            vector[4] = (i % 5 - 2) / 2f;
            vector[0] = 10;
            await _store.AddAsync($"m{i:00}", vector, artist: $"artist{i % 3}", genre: i < 20 ? "low" : "high");
        }
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task The_first_axis_follows_the_largest_spread_with_a_fixed_sign_and_the_second_the_next()
    {
        var map = await new CatalogMap(_store.Active).ProjectAsync(100, CancellationToken.None);
        Assert.Equal(40, map.Points.Count);
        Assert.Equal(40, map.Indexed);
        Assert.True(map.ExplainedX > 0.8, $"x explains {map.ExplainedX:P1}");
        Assert.True(map.ExplainedY > 0.05 && map.ExplainedX + map.ExplainedY > 0.98, $"y explains {map.ExplainedY:P1}");

        // Along axis 2 the ids run in order, and the largest loading is positive: m39 lies right of m00.
        var byX = map.Points.OrderBy(point => point.X).Select(point => point.Track.Id.Value).ToArray();
        Assert.Equal(map.Points.Select(point => point.Track.Id.Value).Order(), byX);
        Assert.True(map.Points.Single(point => point.Track.Id.Value == "m39").X > 0);
        Assert.Equal("artist0", map.Points.Single(point => point.Track.Id.Value == "m00").Track.Artist);
        Assert.Equal("high", map.Points.Single(point => point.Track.Id.Value == "m39").Track.Genre);
    }

    [Fact]
    public async Task A_sample_is_the_same_every_time_and_the_projection_too()
    {
        var map = new CatalogMap(_store.Active);
        var first = await map.ProjectAsync(10, CancellationToken.None);
        var second = await map.ProjectAsync(10, CancellationToken.None);
        Assert.Equal(10, first.Points.Count);
        Assert.Equal(40, first.Indexed);
        Assert.Equal(first.Points.Select(point => (point.Track.Id, point.X, point.Y)), second.Points.Select(point => (point.Track.Id, point.X, point.Y)));
        // The sample: the ten ids hashing lowest.
        var expected = Enumerable.Range(0, 40).Select(i => new TrackId($"m{i:00}")).OrderBy(CatalogMap.Hash).Take(10).Order();
        Assert.Equal(expected, first.Points.Select(point => point.Track.Id));
    }

    [Fact]
    public async Task Bad_sample_sizes_are_refused()
    {
        var map = new CatalogMap(_store.Active);
        await Assert.ThrowsAsync<ArgumentException>(() => map.ProjectAsync(0, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => map.ProjectAsync(CatalogMap.MaxSample + 1, CancellationToken.None));
    }
}

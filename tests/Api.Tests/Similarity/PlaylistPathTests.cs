using MusicSearch.Api.Similarity;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;

namespace MusicSearch.Api.Tests.Similarity;

public sealed class PlaylistPathTests : IAsyncLifetime
{
    private const int Dimensions = 8;
    private SyntheticStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = await SyntheticStore.CreateAsync(Dimensions);
        // A quarter circle from 0° to 90° every 5°, plus decoys off the plane that a straight path never needs.
        for (var degrees = 0; degrees <= 90; degrees += 5)
        {
            await _store.AddAsync($"p{degrees:00}", SyntheticStore.Angle(degrees, Dimensions));
        }
        var decoy = new float[Dimensions];
        decoy[5] = 1;
        await _store.AddAsync("decoy", decoy);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task The_path_walks_the_great_circle_from_a_to_b_without_repeats()
    {
        var path = new PlaylistPath(_store.Active);
        var stops = await path.BuildAsync(new TrackId("p00"), new TrackId("p90"), 7, null, CancellationToken.None);

        // Targets every 15°: the tracks standing exactly there.
        Assert.Equal(["p00", "p15", "p30", "p45", "p60", "p75", "p90"], stops.Select(stop => stop.Track.Id.Value));
        Assert.Equal([0, 1 / 6.0, 2 / 6.0, 3 / 6.0, 4 / 6.0, 5 / 6.0, 1], stops.Select(stop => Math.Round(stop.Position, 9)), new ToleranceComparer(1e-9));
        Assert.All(stops, stop => Assert.Equal(1.0, stop.Score, 4));

        var again = await path.BuildAsync(new TrackId("p00"), new TrackId("p90"), 7, null, CancellationToken.None);
        Assert.Equal(stops.Select(stop => stop.Track.Id), again.Select(stop => stop.Track.Id));
    }

    [Fact]
    public async Task Dense_steps_take_the_nearest_unused_track_and_never_repeat()
    {
        var stops = await new PlaylistPath(_store.Active).BuildAsync(new TrackId("p00"), new TrackId("p10"), 6, null, CancellationToken.None);
        var ids = stops.Select(stop => stop.Track.Id.Value).ToArray();
        Assert.Equal(6, ids.Length);
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.Equal(("p00", "p10"), (ids[0], ids[^1]));
        Assert.Equal("p05", ids[1]);
    }

    [Fact]
    public async Task A_filter_restricts_the_stops_between_and_bad_input_is_refused()
    {
        var filter = new TrackFilter { ExcludeTracks = [new TrackId("p45")] };
        var stops = await new PlaylistPath(_store.Active).BuildAsync(new TrackId("p00"), new TrackId("p90"), 3, filter, CancellationToken.None);
        Assert.Equal(3, stops.Count);
        Assert.True(stops[1].Track.Id.Value is "p40" or "p50", stops[1].Track.Id.Value);

        var path = new PlaylistPath(_store.Active);
        await Assert.ThrowsAsync<ArgumentException>(() => path.BuildAsync(new TrackId("p00"), new TrackId("p00"), 5, null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => path.BuildAsync(new TrackId("p00"), new TrackId("p90"), 1, null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => path.BuildAsync(new TrackId("p00"), new TrackId("p90"), PlaylistPath.MaxSteps + 1, null, CancellationToken.None));
    }

    [Fact]
    public void Slerp_stays_on_the_unit_sphere_between_the_two_vectors()
    {
        var a = SyntheticStore.Angle(0, Dimensions);
        var b = SyntheticStore.Angle(120, Dimensions);
        var middle = PlaylistPath.Slerp(a, b, 0.5);
        Assert.Equal(SyntheticStore.Angle(60, Dimensions), middle, new ToleranceComparer(1e-6));
        Assert.Equal(a, PlaylistPath.Slerp(a, a, 0.3), new ToleranceComparer(1e-6));
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>, IEqualityComparer<float>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;

        public int GetHashCode(float obj) => 0;
    }
}

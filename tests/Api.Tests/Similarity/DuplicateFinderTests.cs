using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MusicSearch.Api.Similarity;
using MusicSearch.Indexing.Pipeline;

namespace MusicSearch.Api.Tests.Similarity;

public sealed class DuplicateFinderTests : IAsyncLifetime
{
    private const int Dimensions = 8;
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private SyntheticStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = await SyntheticStore.CreateAsync(Dimensions);
        // Spread every 20°, except near-copies: b/b2 (0.5°), c/c2/c3 (1°, 1.5°), d/d2 (6°: cosine 0.9945, below a 0.995 threshold).
        await _store.AddAsync("a", SyntheticStore.Angle(0, Dimensions));
        await _store.AddAsync("b", SyntheticStore.Angle(40, Dimensions));
        await _store.AddAsync("b2", SyntheticStore.Angle(40.5, Dimensions));
        await _store.AddAsync("c", SyntheticStore.Angle(80, Dimensions));
        await _store.AddAsync("c2", SyntheticStore.Angle(81, Dimensions));
        await _store.AddAsync("c3", SyntheticStore.Angle(81.5, Dimensions));
        await _store.AddAsync("d", SyntheticStore.Angle(120, Dimensions));
        await _store.AddAsync("d2", SyntheticStore.Angle(126, Dimensions));
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _meters.DisposeAsync();
    }

    [Fact]
    public async Task Pairs_above_the_threshold_come_once_each_best_first_and_page()
    {
        var finder = Finder();
        var all = await finder.FindAsync(0.995, 10, null, CancellationToken.None);
        Assert.Equal(["c2+c3", "b+b2", "c+c2", "c+c3"], all.Items.Select(Pair));
        Assert.Equal(Math.Cos(0.5 * Math.PI / 180), all.Items[0].Cosine, 5);
        Assert.Equal((1 + all.Items[0].Cosine) / 2, all.Items[0].Score, 9);
        Assert.False(all.HasNextPage);

        var first = await finder.FindAsync(0.995, 3, null, CancellationToken.None);
        var second = await finder.FindAsync(0.995, 3, first.EndCursor, CancellationToken.None);
        Assert.True(first.HasNextPage);
        Assert.Equal(all.Items.Select(Pair), first.Items.Concat(second.Items).Select(Pair));

        var looser = await finder.FindAsync(Math.Cos(7 * Math.PI / 180), 10, null, CancellationToken.None);
        Assert.Contains("d+d2", looser.Items.Select(Pair));
    }

    [Fact]
    public async Task A_scan_is_reused_until_the_collection_changes()
    {
        var finder = Finder();
        var before = await finder.FindAsync(0.995, 10, null, CancellationToken.None);
        var again = await finder.FindAsync(0.995, 10, null, CancellationToken.None);
        Assert.Same(before.Items[0], again.Items[0]);

        await _store.AddAsync("a2", SyntheticStore.Angle(0.2, Dimensions));
        var after = await finder.FindAsync(0.995, 10, null, CancellationToken.None);
        Assert.Equal("a+a2", Pair(after.Items[0]));
    }

    [Fact]
    public async Task A_seed_with_many_neighbours_above_the_threshold_gets_all_of_them()
    {
        // 20 copies in a 1° fan: each has 19 neighbours above 0.99, more than the first page of neighbours holds.
        for (var i = 0; i < 20; i++)
        {
            await _store.AddAsync($"fan{i:00}", SyntheticStore.Angle(200 + i * 0.05, Dimensions));
        }
        var finder = Finder();
        var fan = new List<DuplicatePair>();
        string? cursor = null;
        do
        {
            var page = await finder.FindAsync(0.999, 100, cursor, CancellationToken.None);
            fan.AddRange(page.Items.Where(pair => pair.A.Id.Value.StartsWith("fan", StringComparison.Ordinal)));
            cursor = page.HasNextPage ? page.EndCursor : null;
        }
        while (cursor is not null);
        Assert.Equal(20 * 19 / 2, fan.Count);
        Assert.Equal(fan.Count, fan.Select(pair => (pair.A.Id, pair.B.Id)).Distinct().Count());
    }

    [Fact]
    public async Task A_threshold_outside_its_range_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Finder().FindAsync(0.2, 10, null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Finder().FindAsync(1.01, 10, null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Finder().FindAsync(double.NaN, 10, null, CancellationToken.None));
    }

    private DuplicateFinder Finder() => new(_store.Active, new IndexerMetrics(_meters.GetRequiredService<IMeterFactory>()), TimeProvider.System,
        Options.Create(new DuplicateOptions()));

    private static string Pair(DuplicatePair pair) => $"{pair.A.Id}+{pair.B.Id}";
}

using System.Text.Json;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;
using MusicSearch.Core.Storage.Embedded;
using MusicSearch.Testing;

namespace MusicSearch.Indexer.Tests.Commands;

/// <summary>search / status / remove / neighbours over a real embedded store filled through the store contract.</summary>
public sealed class CatalogCommandTests : IDisposable
{
    private const int Dimensions = 16;
    private readonly TemporaryDirectory _directory = new();

    private string Store => _directory.File("store");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task SearchByTrackIdListsTheNearestOtherTracksWithFilters()
    {
        await FillAsync(12);

        var (exit, output, error) = await Cli.RunAsync("search", "t03", "--store", Store, "--k", "3", "--json");

        Assert.True(exit == 0, error);
        var results = JsonDocument.Parse(output).RootElement.GetProperty("results").EnumerateArray()
            .Select(result => result.GetProperty("track").GetProperty("id").GetString()!).ToArray();
        Assert.Equal(["t02", "t04", "t01"], results);

        (exit, output, error) = await Cli.RunAsync("search", "t03", "--store", Store, "--k", "3", "--artist", "ARTIST 1", "--json");
        Assert.True(exit == 0, error);
        Assert.All(JsonDocument.Parse(output).RootElement.GetProperty("results").EnumerateArray(),
            result => Assert.Equal("artist 1", result.GetProperty("track").GetProperty("artist").GetString()));

        (exit, output, error) = await Cli.RunAsync("search", "t03", "--store", Store, "--k", "5");
        Assert.True(exit == 0, error);
        Assert.Contains("similar tracks (tracks_test-model)", output, StringComparison.Ordinal);
        Assert.Contains("Title 2", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchReportsUnknownTracksAndAnEmptyStoreClearly()
    {
        var (exit, _, error) = await Cli.RunAsync("search", "t01", "--store", Store);
        Assert.Equal(2, exit);
        Assert.Contains("no active collection", error, StringComparison.Ordinal);

        await FillAsync(3);
        (exit, _, error) = await Cli.RunAsync("search", "nope", "--store", Store);
        Assert.Equal(2, exit);
        Assert.Contains("error (store): track 'nope'", error, StringComparison.Ordinal);

        (exit, _, error) = await Cli.RunAsync("search", "t01", "--store", Store, "--year-from", "2010", "--year-to", "2000");
        Assert.Equal(2, exit);
        Assert.Contains("year range", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusShowsCountsAndPagesThroughFailures()
    {
        await FillAsync(4, failures: 3);

        var (exit, output, error) = await Cli.RunAsync("status", "--store", Store, "--failures", "2");

        Assert.True(exit == 0, error);
        Assert.Matches(@"tracks_test-model\s*│\s*test-model\s*│\s*16\s*│\s*yes\s*│\s*4\s*│\s*0\s*│\s*3", output);
        Assert.Contains("f00", output, StringComparison.Ordinal);
        Assert.Contains("corrupt", output, StringComparison.Ordinal);
        Assert.Contains("broken bytes 1", output, StringComparison.Ordinal);
        Assert.DoesNotContain("f02", output, StringComparison.Ordinal);
        Assert.Contains("more: --after f01", output, StringComparison.Ordinal);

        (exit, output, error) = await Cli.RunAsync("status", "--store", Store, "--after", "f01");
        Assert.True(exit == 0, error);
        Assert.Contains("f02", output, StringComparison.Ordinal);
        Assert.DoesNotContain("more:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemoveTakesTracksOutOfSearchAndCounts()
    {
        await FillAsync(5);

        var (exit, output, error) = await Cli.RunAsync("remove", "t02", "missing", "--store", Store);

        Assert.True(exit == 0, error);
        Assert.Contains("removed t02", output, StringComparison.Ordinal);
        Assert.Contains("missing was not in the catalog", output, StringComparison.Ordinal);
        await using var collections = Open();
        var store = (await collections.GetActiveAsync())!;
        Assert.Null(await store.GetAsync(new TrackId("t02")));
        Assert.Equal(4, (await store.CountAsync()).Indexed);
    }

    [Fact]
    public async Task NeighboursWritesEveryTrackOnceAndResumesAfterTheLastCompleteLine()
    {
        await FillAsync(9);
        var full = _directory.File("full.jsonl");
        var (exit, _, error) = await Cli.RunAsync("neighbours", "--store", Store, "--out", full, "--k", "2", "--page-size", "2", "--max-per-artist", "1");
        Assert.True(exit == 0, error);
        var lines = await File.ReadAllLinesAsync(full);
        Assert.Equal(Enumerable.Range(1, 9).Select(i => $"t{i:D2}"), lines.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("id").GetString()));
        foreach (var line in lines)
        {
            var neighbours = JsonDocument.Parse(line).RootElement.GetProperty("neighbours").EnumerateArray().ToArray();
            Assert.Equal(2, neighbours.Length);
            Assert.NotEqual(neighbours[0].GetProperty("id").GetString(), JsonDocument.Parse(line).RootElement.GetProperty("id").GetString());
        }

        // A run killed in the middle of writing its fourth page: three lines and a half.
        var resumed = _directory.File("resumed.jsonl");
        await File.WriteAllTextAsync(resumed, string.Join('\n', lines.Take(3)) + "\n" + lines[3][..10]);
        File.Copy(full + ".state.json", resumed + ".state.json");
        (exit, var output, error) = await Cli.RunAsync("neighbours", "--store", Store, "--out", resumed, "--k", "2", "--page-size", "2", "--max-per-artist", "1");
        Assert.True(exit == 0, error);
        Assert.Contains("wrote 6 tracks", output, StringComparison.Ordinal);
        Assert.Equal(lines, await File.ReadAllLinesAsync(resumed));

        // Different settings must not continue someone else's file.
        (exit, _, error) = await Cli.RunAsync("neighbours", "--store", Store, "--out", resumed, "--k", "3");
        Assert.Equal(2, exit);
        Assert.Contains("--restart", error, StringComparison.Ordinal);
    }

    private EmbeddedTrackCollections Open() => new(new EmbeddedStoreOptions { Directory = Store });

    /// <summary>Tracks t01… on a curve through the vector space, so neighbours by id are neighbours by vector; two per artist.</summary>
    private async Task FillAsync(int count, int failures = 0)
    {
        await using var collections = Open();
        var store = await collections.OpenAsync("test-model", Dimensions);
        await collections.ActivateAsync("test-model");
        var points = Enumerable.Range(1, count).Select(i => new TrackPoint(Track($"t{i:D2}", $"Title {i}", $"artist {i / 2}"), Vectors(i), Version: 1)).ToArray();
        await store.UpsertAsync(points);
        var failed = Enumerable.Range(0, failures)
            .Select(i => new TrackFailure(Track($"f{i:D2}", $"Broken {i}", null), 1, "corrupt", $"broken bytes {i}")).ToArray();
        await store.MarkFailedAsync(failed);
    }

    private static Track Track(string id, string title, string? artist) =>
        new() { Id = new TrackId(id), Title = title, Artist = artist, AudioUri = $"file:///music/{id}.ogg" };

    private static TrackVectors Vectors(int i)
    {
        var vector = new float[Dimensions];
        vector[0] = MathF.Cos((0.2f * i) + (0.01f * i * i));
        vector[1] = MathF.Sin((0.2f * i) + (0.01f * i * i));
        return new TrackVectors(vector, [new WindowVector(0, 30, vector)]);
    }
}

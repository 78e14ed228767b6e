using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MusicSearch.Web.Tests.Hosting;

namespace MusicSearch.Web.Tests.Browser;

/// <summary>
/// An editor's work in a real browser against the real Api and engine: sign in, search, open a track, play and seek,
/// compare, query by audio, build a path, navigate the map, check duplicates, retry a failure. Every page visited is
/// checked for accessibility basics and kept as a screenshot.
/// </summary>
[Collection(ProductGroup.Name)]
public sealed class EditorJourneyTests(ProductUnderTest stack, Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Sign_in_search_open_a_track_and_play_it_from_a_seek_point()
    {
        await using var context = await Pages.SignedInAsync(chromium, stack);
        var page = await context.NewPageAsync();

        await page.GotoAsync("");
        await Assertions.Expect(page.GetByTestId("api-status")).ToHaveTextAsync("Api ready");
        await Pages.ScreenshotAsync(page, "01-home");
        await AssertKeyboardReachesNavigationAsync(page);

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Search" }).ClickAsync();
        await page.GetByLabel("Title, artist or album").FillAsync("tone");
        await page.GetByLabel("Genre").FillAsync("ambient");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("q=tone"));
        var titles = await page.Locator("[data-testid=results] a.track-title").AllTextContentsAsync();
        Assert.Equal(["High Tone", "High Tone (re-upload)", "Low Tone"], titles.Order(StringComparer.Ordinal));
        await Pages.AssertAccessibleAsync(page);
        await Pages.ScreenshotAsync(page, "02-search");

        await page.GetByRole(AriaRole.Link, new() { Name = "Low Tone", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/tracks/low-tone$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Low Tone");
        // Every other indexed track, best first (the track that failed has no vectors).
        await Assertions.Expect(page.Locator("[data-testid=similar] tbody tr")).ToHaveCountAsync(stack.Catalog.Count - 2);
        var played = await page.EvaluateAsync<double[]>("""
            async () => {
              const audio = document.querySelector("[data-testid=main-player] audio");
              const once = (name) => new Promise((resolve, reject) => {
                audio.addEventListener(name, resolve, { once: true });
                audio.addEventListener("error", () => reject(new Error("audio error " + (audio.error && audio.error.code))), { once: true });
              });
              if (audio.readyState < 1) { const loaded = once("loadedmetadata"); audio.load(); await loaded; }
              const seeked = once("seeked");
              audio.currentTime = 3;
              await seeked;
              return [audio.duration, audio.currentTime];
            }
            """);
        Assert.InRange(played[0], 7.5, 8.5);
        Assert.InRange(played[1], 2.9, 3.1);
        await Pages.AssertAccessibleAsync(page);
        await Pages.ScreenshotAsync(page, "03-track");

        // The similarity controls are a plain GET form: excluding the seed's artist leaves no Sine Ensemble track.
        await page.GetByLabel("Exclude same artist").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("excludeSameArtist=true"));
        Assert.DoesNotContain(await page.Locator("[data-testid=similar] .track-meta").AllTextContentsAsync(), meta => meta.Contains("Sine Ensemble", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Why_similar_shows_the_heatmap_with_the_best_pair_marked_and_plays_the_pair_chosen()
    {
        await using var context = await Pages.SignedInAsync(chromium, stack);
        var page = await context.NewPageAsync();
        await page.GotoAsync("tracks/high-tone");
        await page.Locator("[data-testid=similar] tbody tr").First.GetByRole(AriaRole.Link, new() { Name = "Why similar?" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/compare\\?a=high-tone&b="));
        await Assertions.Expect(page.GetByTestId("best-pair")).ToHaveCountAsync(1);

        // Two 65 s tracks: three windows each.
        await page.GetByLabel("Track A (id)").FillAsync("rising-drone");
        await page.GetByLabel("Track B (id)").FillAsync("falling-drone");
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=heatmap] rect.cell")).ToHaveCountAsync(9);
        await Assertions.Expect(page.GetByTestId("best-pair")).ToHaveCountAsync(1);
        var best = await page.GetByTestId("best-text").TextContentAsync();
        var starts = Regex.Matches(best!, @"(A|B) at (\d+):(\d\d)").Select(match => int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) * 60 + int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(2, starts.Length);
        await AssertPlayersStartAtAsync(page, starts[0], starts[1]);
        await Pages.AssertAccessibleAsync(page);
        await Pages.ScreenshotAsync(page, "04-compare");

        // Another cell: its link moves both players to that pair, without script.
        var other = starts[0] == 30 && starts[1] == 60 ? "A 0:00–0:30 × B 0:00–0:30" : "A 0:30–1:00 × B 1:00–1:05";
        await page.Locator($"[data-testid=heatmap] a[aria-label^='{other}']").ClickAsync();
        await page.WaitForURLAsync(new Regex("wa=\\d&wb=\\d"));
        await AssertPlayersStartAtAsync(page, other.StartsWith("A 0:00", StringComparison.Ordinal) ? 0 : 30, other.StartsWith("A 0:00", StringComparison.Ordinal) ? 0 : 60);
    }

    private static async Task AssertPlayersStartAtAsync(IPage page, int a, int b)
    {
        foreach (var (side, seconds) in new[] { ("a", a), ("b", b) })
        {
            var source = await page.Locator($"[data-testid=player-{side}] audio").GetAttributeAsync("src");
            if (seconds == 0)
            {
                Assert.DoesNotContain("#t=", source, StringComparison.Ordinal);
            }
            else
            {
                Assert.EndsWith($"#t={seconds}", source, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task A_clip_finds_its_source_track_first_and_bad_uploads_are_explained()
    {
        await using var context = await Pages.SignedInAsync(chromium, stack);
        var page = await context.NewPageAsync();
        await page.GotoAsync("query-by-audio");

        await page.GetByLabel("Audio clip").SetInputFilesAsync(stack.ChordClip);
        await page.GetByRole(AriaRole.Button, new() { Name = "Find similar tracks" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("heard")).ToContainTextAsync("Heard 0:04");
        Assert.Equal("C Major Chord", await page.Locator("[data-testid=similar] a.track-title").First.TextContentAsync());
        await Pages.AssertAccessibleAsync(page);
        await Pages.ScreenshotAsync(page, "05-query-by-audio");

        foreach (var (file, message) in new[] { (stack.TextFile, "not audio the engine can decode"), (stack.LongClip, "That clip is too long") })
        {
            await page.GetByLabel("Audio clip").SetInputFilesAsync(file);
            await page.GetByRole(AriaRole.Button, new() { Name = "Find similar tracks" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("error")).ToContainTextAsync(message);
        }
        await Pages.ScreenshotAsync(page, "06-query-by-audio-refused");

        // Too large: the script says so before uploading; with script off, the server does.
        await page.GetByLabel("Audio clip").SetInputFilesAsync(stack.BigFile);
        await page.GetByRole(AriaRole.Button, new() { Name = "Find similar tracks" }).ClickAsync();
        await Assertions.Expect(page.Locator(".upload-problem")).ToContainTextAsync("clips may be at most 1.0 MB");
        await using var noScript = await Pages.SignedInAsync(chromium, stack, javaScript: false);
        var plain = await noScript.NewPageAsync();
        await plain.GotoAsync("query-by-audio");
        await plain.GetByLabel("Audio clip").SetInputFilesAsync(stack.BigFile);
        await plain.GetByRole(AriaRole.Button, new() { Name = "Find similar tracks" }).ClickAsync();
        await Assertions.Expect(plain.GetByTestId("error")).ToContainTextAsync("clips may be at most 1 MB");
    }

    [Fact]
    public async Task A_playlist_path_walks_from_one_track_to_the_other()
    {
        await using var context = await Pages.SignedInAsync(chromium, stack);
        var page = await context.NewPageAsync();
        await page.GotoAsync("tracks/low-tone");
        await page.GetByRole(AriaRole.Link, new() { Name = "Start a playlist path here" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("From track (id)")).ToHaveValueAsync("low-tone");
        await page.GetByLabel("To track (id)").FillAsync("white-noise");
        await page.GetByLabel("Tracks", new() { Exact = true }).FillAsync("4");
        await page.GetByRole(AriaRole.Button, new() { Name = "Build the path" }).ClickAsync();

        var stops = page.Locator("[data-testid=path] li");
        await Assertions.Expect(stops).ToHaveCountAsync(4);
        await Assertions.Expect(stops.First).ToContainTextAsync("Low Tone");
        await Assertions.Expect(stops.Last).ToContainTextAsync("White Noise");
        Assert.Equal(4, await page.Locator("[data-testid=path] audio").CountAsync());
        await Pages.AssertAccessibleAsync(page);
        await Pages.ScreenshotAsync(page, "07-path");
    }

    [Fact]
    public async Task The_map_zooms_by_links_and_wheel_and_its_points_open_tracks()
    {
        await using var context = await Pages.SignedInAsync(chromium, stack);
        var page = await context.NewPageAsync();
        await page.GotoAsync("map");
        var plot = page.Locator("[data-scatter] svg");
        Assert.Equal(stack.Catalog.Count - 1, await plot.Locator("circle").CountAsync());
        await Pages.AssertAccessibleAsync(page);
        await Pages.ScreenshotAsync(page, "08-map");

        await page.GetByRole(AriaRole.Link, new() { Name = "Zoom in" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("view=250%2C250%2C500%2C500|view=250,250,500,500"));
        Assert.Equal("250 250 500 500", await plot.GetAttributeAsync("viewBox"));

        await plot.HoverAsync();
        await page.Mouse.WheelAsync(0, -400);
        await Assertions.Expect(plot).Not.ToHaveAttributeAsync("viewBox", "250 250 500 500");
        Assert.True(float.Parse((await plot.GetAttributeAsync("viewBox"))!.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture) < 500);

        await page.GetByRole(AriaRole.Link, new() { Name = "Show the whole map" }).ClickAsync();
        await page.Locator("[data-scatter] svg a[aria-label^='Pink Noise']").ClickAsync();
        await page.WaitForURLAsync(new Regex("/tracks/pink-noise$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Pink Noise");
    }

    [Fact]
    public async Task Duplicates_and_indexing_failures_can_be_reviewed_and_retried()
    {
        await using var context = await Pages.SignedInAsync(chromium, stack);
        var page = await context.NewPageAsync();
        await page.GotoAsync("duplicates");
        var pair = page.Locator("[data-testid=duplicates] tbody tr").First;
        await Assertions.Expect(pair).ToContainTextAsync("High Tone");
        await Assertions.Expect(pair).ToContainTextAsync("High Tone (re-upload)");
        await Pages.AssertAccessibleAsync(page);
        await Pages.ScreenshotAsync(page, "09-duplicates");

        await page.GotoAsync("indexing");
        var failure = page.Locator("[data-testid=failures] tbody tr").Filter(new() { HasText = "Broken Upload" });
        await Assertions.Expect(failure).ToContainTextAsync("not-audio");
        await Assertions.Expect(page.GetByTestId("current-model")).ToHaveTextAsync("tiny-pipeline-a");
        await Pages.AssertAccessibleAsync(page);
        await Pages.ScreenshotAsync(page, "10-indexing");

        await failure.GetByRole(AriaRole.Button, new() { Name = "Retry Broken Upload" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("message")).ToHaveTextAsync("Sent 1 failed track to the indexer again.");
        await Pages.ScreenshotAsync(page, "11-indexing-retried");
    }

    /// <summary>Tab from the top of the page: the skip link first, then every main navigation link, in order.</summary>
    private static async Task AssertKeyboardReachesNavigationAsync(IPage page)
    {
        var reached = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached.Add(await page.EvaluateAsync<string>("() => document.activeElement.textContent.trim()"));
        }
        Assert.Equal("Skip to content", reached[0]);
        Assert.Equal(["Search", "Query by audio", "Playlist path", "Catalog map", "Duplicates", "Indexing"], reached.SkipWhile(text => text != "Search").Take(6));
    }
}

using MusicSearch.Web.ApiClient;
using MusicSearch.Web.Components.Shared;
using MusicSearch.Web.Components.Views;
using MusicSearch.Web.Visuals;

namespace MusicSearch.Web.Tests.Components;

/// <summary>Each page's rendering from the records the typed client returns.</summary>
public sealed class ViewTests
{
    private static readonly Func<string?, string> PageHref = after => after is null ? "search" : $"search?after={after}";

    [Fact]
    public async Task Search_results_list_tracks_with_status_and_a_preview_and_page_on()
    {
        var results = new Connection<TrackEdge>(
            [new TrackEdge("c1", 2.5, Sample.Track("t1", "First Song")), new TrackEdge("c2", 1.5, Sample.Track("t2", "Second", status: TrackStatus.Failed))],
            new PageInfo(HasNextPage: true, HasPreviousPage: false, EndCursor: "c2"));
        var html = await Render.HtmlAsync<SearchResults>(("Results", results), ("PageHref", PageHref));

        Assert.Contains("<a class=\"track-title\" href=\"tracks/t1\">First Song</a>", html);
        Assert.Contains("Artist · Album", html);
        Assert.Contains("<span class=\"badge failed\">failed</span>", html);
        Assert.Contains("3:05", html);
        Assert.Equal(2, Render.Count(html, "<audio"));
        Assert.Contains("href=\"search?after=c2\" rel=\"next\"", html);
        Assert.DoesNotContain("First page", html);
    }

    [Fact]
    public async Task An_empty_search_says_so()
    {
        var html = await Render.HtmlAsync<SearchResults>(("Results", new Connection<TrackEdge>([], new PageInfo(false, false, null))), ("PageHref", PageHref));
        Assert.Contains("No tracks match.", html);
        Assert.DoesNotContain("<table", html);
    }

    [Fact]
    public async Task Similar_tracks_show_rank_score_and_a_why_similar_link()
    {
        IReadOnlyList<SimilarTrack> similar = [new(Sample.Track("n1", "Near"), 0.93, 0.86), new(Sample.Track("n2", "Far"), 0.71, 0.42)];
        var html = await Render.HtmlAsync<SimilarList>(("Similar", similar), ("SeedId", "seed/1"));

        Assert.Contains("<span class=\"score-value\">0.930</span>", html);
        Assert.Contains("title=\"score 0.930 (cosine 0.860)\"", html);
        Assert.Contains("href=\"compare?a=seed%2F1&b=n2\">Why similar?</a>", html);
        Assert.True(html.IndexOf("Near", StringComparison.Ordinal) < html.IndexOf("Far", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_track_without_vectors_and_an_uploaded_clip_render_their_own_way()
    {
        Assert.Contains("has no vectors yet", await Render.HtmlAsync<SimilarList>(("Similar", null), ("SeedId", "x")));
        IReadOnlyList<SimilarTrack> found = [new(Sample.Track("n1", "Near"), 0.93, 0.86)];
        Assert.DoesNotContain("Why similar?", await Render.HtmlAsync<SimilarList>(("Similar", found)));
    }

    [Fact]
    public async Task Compare_starts_both_players_at_the_best_pair_unless_a_cell_was_chosen()
    {
        var explanation = new SimilarityExplanation(Sample.Track("a", "Alpha"), Sample.Track("b", "Beta"), 0.9, 0.8,
            [Sample.Window(0), Sample.Window(1)], [Sample.Window(0), Sample.Window(1), Sample.Window(2)],
            [[0.6, 0.7, 0.8], [0.9, 0.95, 0.7]], new WindowPair(Sample.Window(1), Sample.Window(1), 0.95, 0.9));
        var cellHref = (Func<int, int, string>)((a, b) => $"compare?wa={a}&wb={b}");

        var best = await Render.HtmlAsync<CompareView>(("Explanation", explanation), ("CellHref", cellHref));
        Assert.Contains("src=\"http://api.test/audio/a?exp=1&sig=abc#t=30\"", best);
        Assert.Contains("src=\"http://api.test/audio/b?exp=1&sig=abc#t=30\"", best);
        Assert.Contains("A at 0:30–1:00", best);
        Assert.DoesNotContain("Play the best pair", best);

        var chosen = await Render.HtmlAsync<CompareView>(("Explanation", explanation), ("CellHref", cellHref), ("Chosen", ((int, int)?)(0, 2)));
        Assert.Contains("src=\"http://api.test/audio/a?exp=1&sig=abc\"", chosen);
        Assert.Contains("src=\"http://api.test/audio/b?exp=1&sig=abc#t=60\"", chosen);
        Assert.Contains("href=\"compare?wa=1&wb=1\">Play the best pair</a>", chosen);
        Assert.Contains("class=\"cell selected\"", chosen);

        // A pair that is not in the matrix (an edited link) plays the best pair.
        var unknown = await Render.HtmlAsync<CompareView>(("Explanation", explanation), ("CellHref", cellHref), ("Chosen", ((int, int)?)(7, 9)));
        Assert.Contains("src=\"http://api.test/audio/b?exp=1&sig=abc#t=30\"", unknown);
    }

    [Fact]
    public async Task Failures_list_reasons_and_a_retry_button_per_track()
    {
        IReadOnlyList<FailedTrack> failures = [new(new FailedTrackTrack("bad-1", "Broken", "X"), "not-audio", "ffprobe found no audio stream", 2, new DateTimeOffset(2026, 11, 22, 10, 15, 30, TimeSpan.Zero))];
        var html = await Render.HtmlAsync<FailureList>(("Failures", failures));
        Assert.Contains("<code class=\"code\">not-audio</code> <span class=\"reason\">ffprobe found no audio stream</span>", html);
        Assert.Contains("2026-11-22 10:15:30", html);
        Assert.Contains("name=\"RetryId\" value=\"bad-1\" aria-label=\"Retry Broken\"", html);
        Assert.Contains("Nothing to retry", await Render.HtmlAsync<FailureList>(("Failures", Array.Empty<FailedTrack>())));
    }

    [Fact]
    public async Task The_indexing_overview_shows_counts_queue_and_throughput()
    {
        var snapshot = new IndexingSnapshot("tracks-m1", new StatusCounts(3, 6, 1, 10), new IndexingProgress(7, 10, 0.7, false), 2, 3, [new QueueDepth("index-track", 3)],
            new Throughput(0.5, 4, 60), [], new PageInfo(false, false, null));
        var html = await Render.HtmlAsync<IndexingOverview>(("Indexing", snapshot));
        Assert.Contains("data-testid=\"queue-depth\">3<", html);
        Assert.Contains("data-testid=\"throughput\">1800 tracks/h<", html);
        Assert.Contains("4.00 windows/s over 60 s", html);
        Assert.Contains(">70%<", html);
        Assert.Contains("<code>index-track</code>", html);
    }

    [Fact]
    public async Task Models_show_each_collection_with_its_progress()
    {
        var models = new ModelsSnapshot(new ModelInfo("m2", "musicfm", 32, 30), "m1",
        [
            new CollectionInfo("tracks-m1", "m1", 32, true, new StatusCounts(0, 10, 0, 10), new IndexingProgress(10, 10, 1, true)),
            new CollectionInfo("tracks-m2", "m2", 32, false, new StatusCounts(6, 4, 0, 10), new IndexingProgress(4, 10, 0.4, false)),
        ]);
        var html = await Render.HtmlAsync<ModelsView>(("Models", models));
        Assert.Contains("<td>active</td>", html);
        Assert.Contains("<td>filling</td>", html);
        Assert.Contains("<progress max=\"10\" value=\"4\" aria-label=\"m2: 4 of 10 done\"></progress>", html);
    }

    [Fact]
    public async Task The_map_fits_points_into_the_plot_and_colours_by_the_chosen_field()
    {
        var map = new CatalogMap(
            [new MapPoint(new MapTrack("p1", "One", "Ann", "rock"), -2, 10), new MapPoint(new MapTrack("p2", "Two", "Bob", "jazz"), 2, 20)], 50, 0.4, 0.2);
        var html = await Render.HtmlAsync<MapView>(("Map", map), ("ColorBy", "artist"), ("View", Viewport.Whole),
            ("ViewHref", (Func<Viewport?, string>)(view => $"map?view={view}")));
        // x from -2..2 and y from 10..20 stretched to 40..960 (4 % margins), y drawn downwards.
        Assert.Contains("cx=\"40\" cy=\"960\"", html);
        Assert.Contains("cx=\"960\" cy=\"40\"", html);
        Assert.Contains("<a href=\"tracks/p1\" aria-label=\"One — Ann\">", html);
        Assert.Contains("Ann <span class=\"muted\">(1)</span>", html);
        Assert.Contains("2 of 50 indexed tracks", html);
    }

    [Fact]
    public async Task A_path_lists_its_stops_in_order_with_players()
    {
        IReadOnlyList<PathStop> stops = [new(Sample.Track("s", "Start"), 0, 1), new(Sample.Track("m", "Middle"), 0.5, 0.8), new(Sample.Track("e", "End"), 1, 1)];
        var html = await Render.HtmlAsync<PathView>(("Stops", stops));
        Assert.Contains("data-playlist", html);
        Assert.Equal(3, Render.Count(html, "<li>"));
        Assert.Equal(3, Render.Count(html, "<audio"));
        Assert.Contains(">50%<", html);
        Assert.True(html.IndexOf("Start", StringComparison.Ordinal) < html.IndexOf("Middle", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Duplicates_pair_two_players_and_link_to_compare()
    {
        var pairs = new NodePage<DuplicatePair>([new DuplicatePair(Sample.Track("d1", "Song"), Sample.Track("d2", "Song (copy)"), 0.999, 0.998)], new PageInfo(false, false, null));
        var html = await Render.HtmlAsync<DuplicatesView>(("Pairs", pairs), ("PageHref", PageHref));
        Assert.Equal(2, Render.Count(html, "<audio"));
        Assert.Contains("href=\"compare?a=d1&b=d2\">Compare</a>", html);
        Assert.Contains("0.999", html);
    }

    [Fact]
    public async Task A_track_page_shows_its_failure_reason()
    {
        var html = await Render.HtmlAsync<TrackDetails>(("Track", Sample.Track("f", "Failing", status: TrackStatus.Failed)));
        Assert.Contains("<code>not-audio</code> ffprobe found no audio", html);
        Assert.Contains("120 BPM", html);
        Assert.Contains("preload=\"metadata\"", html);
    }

    [Fact]
    public async Task Errors_read_as_advice_with_the_apis_wording_underneath()
    {
        var error = FriendlyErrors.From("BAD_USER_INPUT", "not-audio", "the upload is not audio");
        var html = await Render.HtmlAsync<ErrorNotice>(("Error", error));
        Assert.Contains("role=\"alert\"", html);
        Assert.Contains("That file is not audio the engine can decode.", html);
        Assert.Contains("Api said: the upload is not audio", html);
        Assert.Equal("", (await Render.HtmlAsync<ErrorNotice>(("Error", null))).Trim());
    }
}

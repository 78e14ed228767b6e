using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using MusicSearch.Web.Tests.Hosting;

namespace MusicSearch.Web.Tests.Previews;

/// <summary>Previews play through the UI: the Api's signed URLs become paths on this site, streamed with range requests.</summary>
[Collection(ProductGroup.Name)]
public sealed partial class PreviewProxyTests(ProductUnderTest stack)
{
    [Fact]
    public async Task A_pages_player_reads_byte_ranges_of_the_track_through_the_ui()
    {
        using var session = await EditorSession.SignedInAsync(stack.WebAddress);
        var source = await PlayerSourceAsync(session, "tracks/low-tone");
        Assert.StartsWith("/audio/low-tone?exp=", source);

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(source, UriKind.Relative));
        request.Headers.Range = new RangeHeaderValue(10, 109);
        using var response = await session.Client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        var file = await File.ReadAllBytesAsync(new Uri(stack.Track("low-tone").AudioUri).LocalPath);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes 10-109/{file.Length}", response.Content.Headers.ContentRange!.ToString());
        Assert.Equal("audio/flac", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(file[10..110], bytes);
    }

    [Fact]
    public async Task A_forged_signature_is_refused_and_visitors_must_sign_in()
    {
        using var session = await EditorSession.SignedInAsync(stack.WebAddress);
        var source = await PlayerSourceAsync(session, "tracks/chord");
        var forged = Regex.Replace(source, "sig=[^&]+", "sig=AAAA");
        using var refused = await session.Client.GetAsync(new Uri(forged, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        using var visitor = new EditorSession(stack.WebAddress);
        using var redirected = await visitor.Client.GetAsync(new Uri(source, UriKind.Relative));
        Assert.StartsWith("/signin", visitor.RedirectTarget(redirected), StringComparison.Ordinal);
    }

    private static async Task<string> PlayerSourceAsync(EditorSession session, string page)
    {
        var html = await session.GetStringAsync(page);
        var match = MainPlayer().Match(html);
        Assert.True(match.Success, html);
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [GeneratedRegex("data-testid=\"main-player\"><audio[^>]* src=\"([^\"]+)\"")]
    private static partial Regex MainPlayer();
}

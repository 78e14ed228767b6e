using System.Net;
using System.Text.RegularExpressions;

namespace MusicSearch.Web.Tests.Hosting;

/// <summary>A browser-like HTTP client of the UI (cookies, no automatic redirects) that can sign in through the real form.</summary>
public sealed partial class EditorSession : IDisposable
{
    private readonly HttpClientHandler _handler = new() { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };

    public EditorSession(Uri webAddress)
    {
        Client = new HttpClient(_handler) { BaseAddress = webAddress };
    }

    public HttpClient Client { get; }

    public static async Task<EditorSession> SignedInAsync(Uri webAddress)
    {
        var session = new EditorSession(webAddress);
        using var response = await session.SignInAsync(ProductUnderTest.EditorUser, ProductUnderTest.EditorPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return session;
    }

    /// <summary>Fills and posts the sign-in form, antiforgery token included, as a browser would.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string user, string password, string path = "signin")
    {
        var token = await AntiforgeryTokenAsync(path);
        return await PostFormAsync(path, new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["__RequestVerificationToken"] = token,
            ["Input.User"] = user,
            ["Input.Password"] = password,
        });
    }

    /// <summary>Where a redirect sends the browser, as a path on this site (fails for another origin).</summary>
    public string RedirectTarget(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var target = new Uri(Client.BaseAddress!, response.Headers.Location!);
        Assert.Equal(Client.BaseAddress!.GetLeftPart(UriPartial.Authority), target.GetLeftPart(UriPartial.Authority));
        return target.PathAndQuery;
    }

    public async Task<string> AntiforgeryTokenAsync(string path)
    {
        var html = await GetStringAsync(path);
        return TokenField().Match(html) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException($"no antiforgery token on {path}");
    }

    public async Task<string> GetStringAsync(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {html}");
        return html;
    }

    public async Task<HttpResponseMessage> PostFormAsync(string path, IDictionary<string, string> fields)
    {
        using var content = new FormUrlEncodedContent(fields);
        return await Client.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    public void Dispose()
    {
        Client.Dispose();
        _handler.Dispose();
    }
}

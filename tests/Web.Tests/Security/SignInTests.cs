using System.Net;
using MusicSearch.Web.Tests.Hosting;

namespace MusicSearch.Web.Tests.Security;

/// <summary>Cookie sign-in against configured PBKDF2 hashes, antiforgery on forms, and the UI's API key kept on the server.</summary>
[Collection(ProductGroup.Name)]
public sealed class SignInTests(ProductUnderTest stack)
{
    [Theory]
    [InlineData("search?q=tone", "%2Fsearch%3Fq%3Dtone")]
    [InlineData("indexing", "%2Findexing")]
    public async Task Pages_send_a_visitor_who_is_not_signed_in_to_the_sign_in_page(string path, string returnUrl)
    {
        using var session = new EditorSession(stack.WebAddress);
        using var response = await session.Client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal($"/signin?ReturnUrl={returnUrl}", session.RedirectTarget(response));
    }

    [Fact]
    public async Task Right_credentials_sign_in_and_return_to_the_page_asked_for()
    {
        using var session = new EditorSession(stack.WebAddress);
        using var response = await session.SignInAsync(ProductUnderTest.EditorUser, ProductUnderTest.EditorPassword, "signin?ReturnUrl=%2Fsearch%3Fq%3Dtone");
        Assert.Equal("/search?q=tone", session.RedirectTarget(response));
        var html = await session.GetStringAsync("search?q=tone");
        Assert.Contains("Low Tone", html);
        Assert.Contains(">editor<", html);
    }

    [Theory]
    [InlineData(ProductUnderTest.EditorUser, "wrong password")]
    [InlineData("nobody", ProductUnderTest.EditorPassword)]
    public async Task Wrong_credentials_are_refused_with_a_message(string user, string password)
    {
        using var session = new EditorSession(stack.WebAddress);
        using var response = await session.SignInAsync(user, password);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("do not match an editor account", html);
        using var after = await session.Client.GetAsync(new Uri("search", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    [Theory]
    [InlineData("https://evil.example/steal")]
    [InlineData("//evil.example/steal")]
    public async Task A_return_url_off_the_site_lands_on_the_home_page(string returnUrl)
    {
        using var session = new EditorSession(stack.WebAddress);
        using var response = await session.SignInAsync(ProductUnderTest.EditorUser, ProductUnderTest.EditorPassword, $"signin?ReturnUrl={Uri.EscapeDataString(returnUrl)}");
        Assert.Equal("/", session.RedirectTarget(response));
    }

    [Fact]
    public async Task Forms_posted_without_the_antiforgery_token_are_rejected()
    {
        using var session = await EditorSession.SignedInAsync(stack.WebAddress);
        using var retry = await session.PostFormAsync("indexing", new Dictionary<string, string> { ["_handler"] = "retry", ["RetryId"] = "*" });
        Assert.Equal(HttpStatusCode.BadRequest, retry.StatusCode);
        using var signOut = await session.PostFormAsync("signout", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
        using var signIn = await new EditorSession(stack.WebAddress).PostFormAsync("signin", new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["Input.User"] = ProductUnderTest.EditorUser,
            ["Input.Password"] = ProductUnderTest.EditorPassword,
        });
        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
    }

    [Fact]
    public async Task Sign_out_ends_the_session()
    {
        using var session = await EditorSession.SignedInAsync(stack.WebAddress);
        var token = await session.AntiforgeryTokenAsync("search");
        using var response = await session.PostFormAsync("signout", new Dictionary<string, string> { ["__RequestVerificationToken"] = token });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        using var after = await session.Client.GetAsync(new Uri("search", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    [Fact]
    public async Task The_api_key_stays_on_the_server()
    {
        using var session = await EditorSession.SignedInAsync(stack.WebAddress);
        foreach (var path in new[] { "", "search", "tracks/chord", "indexing", "map" })
        {
            Assert.DoesNotContain(ProductUnderTest.ApiKey, await session.GetStringAsync(path));
        }
    }
}

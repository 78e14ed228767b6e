using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.Features;
using MusicSearch.Web.ApiClient;
using MusicSearch.Web.Components;
using MusicSearch.Web.Previews;
using MusicSearch.Web.Security;

namespace MusicSearch.Web.Hosting;

public static class EditorUiExtensions
{
    /// <summary>Room for the multipart framing around an uploaded clip.</summary>
    private const long FormOverhead = 64 * 1024;

    /// <summary>
    /// How much larger than the limit a clip may be and still arrive whole, so the page can say it is too large (with
    /// script on, app.js says so before uploading); beyond this the server refuses the request itself.
    /// </summary>
    private const int OversizeFactor = 2;

    public static WebApplicationBuilder AddEditorUi(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var section = builder.Configuration.GetSection(WebOptions.Section);
        services.Configure<WebOptions>(section);
        var maxUpload = section.GetValue<long?>(nameof(WebOptions.MaxUploadBytes)) ?? new WebOptions().MaxUploadBytes;
        var bodyLimit = OversizeFactor * maxUpload + FormOverhead;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = bodyLimit);
        services.Configure<FormOptions>(form => form.MultipartBodyLengthLimit = bodyLimit);

        services.AddRazorComponents();
        services.AddHealthChecks();
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(cookie =>
            {
                cookie.LoginPath = "/signin";
                cookie.Cookie.Name = "musicsearch-editor";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
                cookie.SlidingExpiration = true;
            });
        services.AddAuthorization();
        services.AddCascadingAuthenticationState();
        services.AddSingleton<EditorDirectory>();
        services.AddHttpClient<ApiStatusClient>();
        services.AddHttpClient<GraphQLTransport>();
        // Previews stream for as long as the editor listens: no overall timeout.
        services.AddHttpClient(PreviewProxy.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddScoped<MusicSearchClient>();
        return builder;
    }

    public static WebApplication MapEditorUi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapHealthChecks("/health/live");
        app.MapPost("/signout", async (HttpContext context, IAntiforgery antiforgery) =>
        {
            // A cross-site form must not sign an editor out: the sign-out button posts the antiforgery token.
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.BadRequest("The sign-out form expired; reload the page and try again.");
            }
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/signin");
        });
        app.MapPreviewProxy().RequireAuthorization();
        // Every page needs a signed-in editor except those marked [AllowAnonymous] (sign-in).
        app.MapRazorComponents<App>().RequireAuthorization();
        return app;
    }
}

using MusicSearch.Web.Components;

namespace MusicSearch.Web;

/// <summary>Options of the editor UI, bound from the <c>Web</c> configuration section.</summary>
public sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>Base address of the MusicSearch Api the UI talks to.</summary>
    public Uri ApiBaseUrl { get; set; } = new("http://localhost:5080/");

    /// <summary>How long a page waits for the Api before showing it as unavailable.</summary>
    public TimeSpan ApiTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

public static class EditorUiExtensions
{
    public static IServiceCollection AddEditorUi(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<WebOptions>(configuration.GetSection(WebOptions.Section));
        services.AddRazorComponents();
        services.AddHealthChecks();
        services.AddHttpClient<ApiStatusClient>();
        return services;
    }

    public static WebApplication MapEditorUi(this WebApplication app)
    {
        app.UseStaticFiles();
        app.UseAntiforgery();
        app.MapHealthChecks("/health/live");
        app.MapRazorComponents<App>();
        return app;
    }
}

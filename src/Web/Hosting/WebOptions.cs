using MusicSearch.Web.Security;

namespace MusicSearch.Web.Hosting;

/// <summary>Options of the editor UI, bound from the <c>Web</c> configuration section.</summary>
public sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>Base address of the MusicSearch Api the UI talks to.</summary>
    public Uri ApiBaseUrl { get; set; } = new("http://localhost:5080/");

    /// <summary>How long a page waits for the Api before showing it as unavailable.</summary>
    public TimeSpan ApiTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a page waits for the Api to embed an uploaded clip (decoding and a model pass take longer than a query).</summary>
    public TimeSpan UploadTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The UI's own API key (editor role), sent by the server in <c>X-Api-Key</c>; it never reaches a browser. Without one
    /// the UI reads anonymously where the Api allows it, and editor actions fail with a message saying so.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>Largest clip the query-by-audio page accepts; the Api applies its own limit too.</summary>
    public long MaxUploadBytes { get; set; } = 50 * 1024 * 1024;

    /// <summary>Who may sign in: <c>Web:Editors:0:User</c>, <c>Web:Editors:0:PasswordHash</c> (see <see cref="PasswordHash"/>), …</summary>
    public IList<EditorAccount> Editors { get; } = [];
}

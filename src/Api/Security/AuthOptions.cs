namespace MusicSearch.Api.Security;

/// <summary>API keys and anonymous access (configuration section <c>Auth</c>).</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>The request header that carries the key.</summary>
    public const string HeaderName = "X-Api-Key";

    /// <summary><c>Auth:Keys:0:Name</c>, <c>Auth:Keys:0:KeySha256</c> (or <c>:Key</c>), <c>Auth:Keys:0:Role</c>, …</summary>
    public IList<ApiKeyOptions> Keys { get; } = [];

    /// <summary>Requests without a key may read (queries, previews) as if they had a reader key; the embedded demo sets it.</summary>
    public bool AllowAnonymousRead { get; set; }
}

/// <summary>One key. Prefer <see cref="KeySha256"/> (hex of the key's SHA-256) so the configuration never holds the key itself.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>Who the key belongs to: shown in logs and used as its rate-limit partition; never the key itself.</summary>
    public string Name { get; set; } = "";

    public string? Key { get; set; }

    public string? KeySha256 { get; set; }

    public string Role { get; set; } = ApiRoles.Reader;
}

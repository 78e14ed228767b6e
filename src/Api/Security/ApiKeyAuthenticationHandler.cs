using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using MusicSearch.Api.Errors;

namespace MusicSearch.Api.Security;

/// <summary>
/// Authenticates the <c>X-Api-Key</c> header against the <see cref="ApiKeyRing"/>. No header: no result (anonymous,
/// which a policy may still allow); a key that matches nothing: failure. The principal carries the key's name and
/// every role its role includes. Challenges and refusals answer with a JSON error body (401 / 403). The key itself is
/// never put in a message, a claim or a log entry.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyRing keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(AuthOptions.HeaderName, out var values) || values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        if (values.Count > 1 || keys.Find(values[0]!) is not { } holder)
        {
            return Task.FromResult(AuthenticateResult.Fail("the API key is not valid"));
        }
        var identity = new ClaimsIdentity(SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.Name, holder.Name));
        foreach (var role in ApiRoles.Granted(holder.Role))
        {
            identity.AddClaim(new Claim(ClaimTypes.Role, role));
        }
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = SchemeName;
        var message = Request.Headers.ContainsKey(AuthOptions.HeaderName)
            ? $"the API key in the {AuthOptions.HeaderName} header is not valid"
            : $"this needs an API key in the {AuthOptions.HeaderName} header";
        return ApiError.WriteAsync(Context, StatusCodes.Status401Unauthorized, "unauthenticated", message);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var name = Context.User.Identity?.Name ?? "anonymous";
        var role = Context.User.FindAll(ClaimTypes.Role).Select(claim => claim.Value).LastOrDefault() ?? "none";
        return ApiError.WriteAsync(Context, StatusCodes.Status403Forbidden, "forbidden", $"the key '{name}' (role {role}) may not do this");
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace MusicSearch.Api.Security;

/// <summary>One authorization policy per role, named after it; endpoints ask for the least role they need.</summary>
public static class ApiPolicies
{
    public const string Reader = ApiRoles.Reader;
    public const string Editor = ApiRoles.Editor;
    public const string Admin = ApiRoles.Admin;

    internal static void Add(AuthorizationOptions authorization)
    {
        authorization.AddPolicy(Reader, policy => policy.AddRequirements(new ReadRequirement()));
        authorization.AddPolicy(Editor, policy => policy.RequireRole(ApiRoles.Editor));
        authorization.AddPolicy(Admin, policy => policy.RequireRole(ApiRoles.Admin));
    }
}

/// <summary>A reader key, or no key at all while <see cref="AuthOptions.AllowAnonymousRead"/> is on (a wrong key is still refused).</summary>
internal sealed class ReadRequirement : IAuthorizationRequirement;

internal sealed class ReadRequirementHandler(IOptions<AuthOptions> options) : AuthorizationHandler<ReadRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ReadRequirement requirement)
    {
        var anonymous = context.User.Identity?.IsAuthenticated != true;
        var keyless = context.Resource is not HttpContext http || !http.Request.Headers.ContainsKey(AuthOptions.HeaderName);
        if (context.User.IsInRole(ApiRoles.Reader) || (options.Value.AllowAnonymousRead && anonymous && keyless))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}

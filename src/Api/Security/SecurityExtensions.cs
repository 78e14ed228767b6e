using Microsoft.AspNetCore.Authorization;

namespace MusicSearch.Api.Security;

public static class SecurityExtensions
{
    /// <summary>API-key authentication (<see cref="ApiKeyAuthenticationHandler"/>) and the role policies (<see cref="ApiPolicies"/>), from the <c>Auth</c> section.</summary>
    public static IServiceCollection AddApiSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section));
        services.AddSingleton<ApiKeyRing>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddSingleton<IAuthorizationHandler, ReadRequirementHandler>();
        services.AddAuthorization(ApiPolicies.Add);
        return services;
    }
}

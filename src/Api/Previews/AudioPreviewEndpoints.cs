using Microsoft.AspNetCore.Authorization;
using MusicSearch.Api.Errors;
using MusicSearch.Api.Security;
using MusicSearch.Core.Catalog;

namespace MusicSearch.Api.Previews;

public static class AudioPreviewEndpoints
{
    public static IServiceCollection AddAudioPreviews(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PreviewOptions>().Bind(configuration.GetSection(PreviewOptions.Section));
        services.AddSingleton<PreviewUrlSigner>();
        services.AddSingleton<AudioPreviews>();
        return services;
    }

    /// <summary>
    /// <c>GET /audio/{trackId}</c>: the track's audio file with HTTP range requests (206 partial content,
    /// <c>Accept-Ranges: bytes</c>, 416 for a range outside the file). Allowed with a reader key, or without any key
    /// when the URL carries a valid signature (<see cref="PreviewUrlSigner"/>): 403 for a bad or expired signature.
    /// </summary>
    public static IEndpointRouteBuilder MapAudioPreviews(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/audio/{trackId}", ServeAsync).AllowAnonymous().WithName("AudioPreview");
        return endpoints;
    }

    private static async Task<IResult> ServeAsync(string trackId, string? exp, string? sig, HttpContext context, PreviewUrlSigner signer,
        IAuthorizationService authorization, AudioPreviews previews)
    {
        if (!TrackId.TryParse(trackId, out var id))
        {
            return ApiError.Result(StatusCodes.Status404NotFound, "unknown-track", "not a valid track id");
        }
        if (exp is not null || sig is not null)
        {
            switch (signer.Check(id, exp, sig))
            {
                case PreviewSignature.Invalid:
                    return ApiError.Result(StatusCodes.Status403Forbidden, "bad-signature", "the preview URL's signature is not valid for this track");
                case PreviewSignature.Expired:
                    return ApiError.Result(StatusCodes.Status403Forbidden, "expired", "the preview URL has expired: ask for a new one");
            }
        }
        else if (!(await authorization.AuthorizeAsync(context.User, context, ApiPolicies.Reader).ConfigureAwait(false)).Succeeded)
        {
            // Challenge (401) without an identity, Forbid (403) with one that lacks the role: the same answers as other endpoints.
            return context.User.Identity?.IsAuthenticated == true ? Results.Forbid() : Results.Challenge();
        }
        var file = await previews.OpenAsync(id, context.RequestAborted).ConfigureAwait(false);
        context.Response.Headers.CacheControl = "private, max-age=300";
        return TypedResults.File(file.Content, file.ContentType, lastModified: file.LastModified, enableRangeProcessing: true);
    }
}

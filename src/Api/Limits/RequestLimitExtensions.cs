using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using MusicSearch.Api.Errors;

namespace MusicSearch.Api.Limits;

/// <summary>
/// Body size limits: Kestrel's <c>MaxRequestBodySize</c> from <c>Limits:MaxRequestBodyBytes</c> for every request, and
/// a larger limit only where an endpoint declares one (<see cref="AllowUploadBody"/>). A body that is announced too
/// large is refused with 413 before it is read; one that grows past the limit while being read fails the same way.
/// </summary>
public static class RequestLimitExtensions
{
    public static WebApplicationBuilder AddApiRequestLimits(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<RequestLimitOptions>().Bind(builder.Configuration.GetSection(RequestLimitOptions.Section))
            .Validate(options => options.MaxRequestBodyBytes > 0, "Limits:MaxRequestBodyBytes must be positive").ValidateOnStart();
        builder.Services.AddOptions<UploadOptions>().Bind(builder.Configuration.GetSection(UploadOptions.Section))
            .Validate(options => !options.Problems().Any(), "Upload:MaxBytes and Upload:MaxSeconds must be positive").ValidateOnStart();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Limits.MaxRequestBodySize = builder.Configuration.GetSection(RequestLimitOptions.Section).Get<RequestLimitOptions>()?.MaxRequestBodyBytes
                ?? new RequestLimitOptions().MaxRequestBodyBytes);
        return builder;
    }

    /// <summary>Lets this endpoint take an upload of <c>Upload:MaxBytes</c> (plus multipart overhead) instead of the default limit.</summary>
    public static TBuilder AllowUploadBody<TBuilder>(this TBuilder endpoint)
        where TBuilder : IEndpointConventionBuilder
    {
        endpoint.Add(builder => builder.Metadata.Add(new UploadBodyLimit()));
        return endpoint;
    }

    /// <summary>Applies the endpoint's body limit (after routing) and refuses announced oversize bodies with a JSON 413.</summary>
    public static IApplicationBuilder UseRequestBodyLimits(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var limit = context.RequestServices.GetRequiredService<IOptions<RequestLimitOptions>>().Value.MaxRequestBodyBytes;
        if (context.GetEndpoint()?.Metadata.GetMetadata<UploadBodyLimit>() is not null)
        {
            limit = context.RequestServices.GetRequiredService<IOptions<UploadOptions>>().Value.MaxRequestBytes;
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = limit;
            }
        }
        if (context.Request.ContentLength > limit)
        {
            await ApiError.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "too-large",
                $"the request body has {context.Request.ContentLength} bytes; this endpoint takes at most {limit}").ConfigureAwait(false);
            return;
        }
        await next(context).ConfigureAwait(false);
    });

    /// <summary>Marks an upload endpoint; the number comes from <see cref="UploadOptions"/> at request time.</summary>
    private sealed class UploadBodyLimit;
}

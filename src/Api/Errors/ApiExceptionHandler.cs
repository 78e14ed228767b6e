using Microsoft.AspNetCore.Diagnostics;
using MusicSearch.Core.Audio.Sources;
using MusicSearch.Core.Storage;

namespace MusicSearch.Api.Errors;

/// <summary>
/// Turns the typed failures of the services into JSON errors with the right status, so that no caller mistake or
/// unavailable dependency shows up as a 500. Anything else is a bug: logged, and answered with a 500 that says nothing
/// about the internals.
/// </summary>
internal sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nobody to answer, nothing went wrong here.
            return true;
        }
        var (status, code, message) = exception switch
        {
            ApiException api => (api.StatusCode, api.Code, api.Message),
            UnknownTrackException unknown => (StatusCodes.Status404NotFound, "unknown-track", unknown.Message),
            TrackStoreUnavailableException unavailable => (StatusCodes.Status503ServiceUnavailable, "store-unavailable", unavailable.Message),
            BadHttpRequestException bad => (bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "too-large" : "bad-request", bad.Message),
            AudioSourceException source => (StatusCodes.Status502BadGateway, "audio-source", source.Message),
            ArgumentException argument => (StatusCodes.Status400BadRequest, "bad-request", argument.Message),
            _ => (StatusCodes.Status500InternalServerError, "internal", "the server failed to answer this request"),
        };
        if (status == StatusCodes.Status500InternalServerError)
        {
            Unhandled(logger, httpContext.Request.Method, httpContext.Request.Path, exception);
        }
        if (httpContext.Response.HasStarted)
        {
            return false;
        }
        await ApiError.WriteAsync(httpContext, status, code, message).ConfigureAwait(false);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled failure answering {Method} {Path}")]
    private static partial void Unhandled(ILogger logger, string method, PathString path, Exception exception);
}

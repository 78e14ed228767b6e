using MusicSearch.Api.Errors;

namespace MusicSearch.Api.Previews;

/// <summary>The track's audio is not a library file this Api can stream (a remote URL, or a file that is gone or not allowed).</summary>
public sealed class PreviewUnavailableException(string message, int statusCode = StatusCodes.Status404NotFound) : ApiException(message)
{
    public override int StatusCode { get; } = statusCode;

    public override string Code => "preview-unavailable";
}

using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using MusicSearch.Api.Errors;
using MusicSearch.Api.Limits;
using MusicSearch.Api.Paging;
using MusicSearch.Api.Security;
using MusicSearch.Api.Similarity;
using MusicSearch.Core.Catalog;

namespace MusicSearch.Api.Endpoints;

/// <summary>
/// Bare REST around the similarity services: <c>GET /api/similar/{trackId}?first=10</c> makes exactly the store call the
/// GraphQL <c>similarTracks</c> field makes (the baseline of the GraphQL-overhead benchmark); <c>POST /api/similar-to-audio</c>
/// takes an audio file (multipart field <c>file</c>) and answers the tracks most like it.
/// </summary>
public static class SimilarEndpoints
{
    public static IEndpointRouteBuilder MapSimilarEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api");
        api.MapGet("/similar/{trackId}", SimilarAsync).RequireAuthorization(ApiPolicies.Reader);
        api.MapPost("/similar-to-audio", SimilarToAudioAsync).RequireAuthorization(ApiPolicies.Editor).AllowUploadBody().DisableAntiforgery();
        return endpoints;
    }

    private static async Task<IResult> SimilarAsync(string trackId, int? first, string? after, SimilarTracks similar, CancellationToken cancellationToken)
    {
        var page = await similar.ToTrackAsync(ParseId(trackId), new SimilarityRequest { First = first ?? 10, After = after }, cancellationToken).ConfigureAwait(false);
        return Results.Json(Body(page));
    }

    private static async Task<IResult> SimilarToAudioAsync(HttpRequest request, int? first, AudioQuery query, IOptions<UploadOptions> uploads,
        CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return ApiError.Result(StatusCodes.Status415UnsupportedMediaType, "bad-request", "send the audio as multipart/form-data in a field named 'file'");
        }
        IFormCollection form;
        try
        {
            // The form reader's own limit (128 MB by default) must not undercut Upload:MaxBytes.
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = uploads.Value.MaxRequestBytes }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidDataException || (ex is IOException && ex is not BadHttpRequestException))
        {
            return ApiError.Result(StatusCodes.Status400BadRequest, "bad-request", $"the multipart body is malformed or cut short: {ex.Message}");
        }
        if (form.Files.GetFile("file") is not { } file)
        {
            return ApiError.Result(StatusCodes.Status400BadRequest, "bad-request", "the form has no file field named 'file'");
        }
        var content = file.OpenReadStream();
        await using (content.ConfigureAwait(false))
        {
            var result = await query.SearchAsync(content, file.FileName, new SimilarityRequest { First = first ?? 10 }, cancellationToken).ConfigureAwait(false);
            return Results.Json(new { durationSeconds = result.DurationSeconds, windows = result.Windows, results = Body(result.Results) });
        }
    }

    private static object Body(Page<ScoredTrack> page) => new
    {
        items = page.Items.Select(item => new
        {
            id = item.Track.Id.Value,
            title = item.Track.Title,
            artist = item.Track.Artist,
            album = item.Track.Album,
            score = item.Score,
        }),
        endCursor = page.EndCursor,
        hasNextPage = page.HasNextPage,
    };

    private static TrackId ParseId(string text) =>
        TrackId.TryParse(text, out var id) ? id : throw new TrackNotFoundException("not a valid track id");
}

using System.Text.Json;

namespace MusicSearch.Api.Errors;

/// <summary>
/// The one shape of every error body the Api writes outside GraphQL: <c>{"error":{"code":"…","message":"…"}}</c>.
/// <c>code</c> is stable and machine-readable; <c>message</c> is for people and never holds a secret.
/// </summary>
public static class ApiError
{
    public static Task WriteAsync(HttpContext context, int statusCode, string code, string message)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { error = new { code, message } }), context.RequestAborted);
    }

    public static IResult Result(int statusCode, string code, string message) =>
        Results.Json(new { error = new { code, message } }, statusCode: statusCode);
}

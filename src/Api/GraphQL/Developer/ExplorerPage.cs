using System.Collections.Frozen;

namespace MusicSearch.Api.GraphQL.Developer;

/// <summary>
/// <c>/graphiql/</c>: a small developer page (hand-written HTML, CSS and JS embedded in the Api) that posts queries to
/// <c>/graphql</c> with an optional API key and documents the schema from introspection. The page holds no data, so it
/// needs no key; its requests do. A strict content security policy keeps it to its own files and the Api.
/// </summary>
public static class ExplorerPage
{
    public const string Path = "/graphiql";

    private static readonly FrozenDictionary<string, (string ContentType, byte[] Content)> Files = Load();

    public static IEndpointRouteBuilder MapGraphQLExplorer(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path + "/{file?}", (string? file, HttpContext context) =>
        {
            // Routing matches with and without the trailing slash; the page's relative links need it.
            if (file is null && !context.Request.Path.Value!.EndsWith('/'))
            {
                return Results.Redirect(Path + "/");
            }
            if (!Files.TryGetValue(file ?? "explorer.html", out var served))
            {
                return Results.NotFound();
            }
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers.CacheControl = "no-cache";
            return Results.Bytes(served.Content, served.ContentType);
        }).AllowAnonymous();
        return endpoints;
    }

    private static FrozenDictionary<string, (string, byte[])> Load()
    {
        var assembly = typeof(ExplorerPage).Assembly;
        var files = new Dictionary<string, (string, byte[])>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(name => name.StartsWith("explorer/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var content = new MemoryStream();
            stream.CopyTo(content);
            var name = resource["explorer/".Length..];
            var type = System.IO.Path.GetExtension(name) switch
            {
                ".html" => "text/html; charset=utf-8",
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                _ => "application/octet-stream",
            };
            files[name] = (type, content.ToArray());
        }
        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}

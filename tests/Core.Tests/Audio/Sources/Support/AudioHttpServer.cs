using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MusicSearch.Core.Tests.Audio.Sources.Support;

/// <summary>
/// A real Kestrel server on 127.0.0.1 and a free port, serving the files of one directory and the misbehaviours the
/// source tests need: redirects, error statuses, endless and stalling bodies, connections cut mid-body. It counts
/// the requests each path and query receives, so tests can prove a refused address was never asked for.
/// </summary>
public sealed class AudioHttpServer : IAsyncDisposable
{
    private const int ChunkBytes = 16 * 1024;

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _hits = new(StringComparer.Ordinal);

    private AudioHttpServer(WebApplication app) => _app = app;

    /// <summary>The base address, e.g. http://127.0.0.1:41234 (no trailing slash).</summary>
    public string BaseUrl => _app.Urls.Single();

    public int Port => new Uri(BaseUrl).Port;

    public static async Task<AudioHttpServer> StartAsync(string directory)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new AudioHttpServer(app);
        app.Use(async (context, next) =>
        {
            server._hits.AddOrUpdate(context.Request.Path + context.Request.QueryString, 1, (_, count) => count + 1);
            await next(context);
        });
        MapRoutes(app, directory);
        await app.StartAsync();
        return server;
    }

    public string Url(string pathAndQuery) => BaseUrl + pathAndQuery;

    /// <summary>How many requests arrived for exactly this path and query.</summary>
    public int HitsOn(string pathAndQuery) => _hits.GetValueOrDefault(pathAndQuery);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static void MapRoutes(WebApplication app, string directory)
    {
        string FileOf(string name) => Path.Combine(directory, Path.GetFileName(name));

        // ?chunked=1 leaves out Content-Length, so Kestrel sends the body chunked.
        app.MapGet("/files/{name}", async (HttpContext context, string name, int? chunked) =>
        {
            var bytes = await File.ReadAllBytesAsync(FileOf(name), context.RequestAborted);
            if (chunked is null)
            {
                context.Response.ContentLength = bytes.Length;
            }

            await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
        });

        app.MapGet("/redirect", (string to) => Results.Redirect(to));

        app.MapGet("/redirect-chain/{remaining:int}", (int remaining, string name) =>
            Results.Redirect(remaining == 0 ? $"/files/{name}" : $"/redirect-chain/{remaining - 1}?name={name}"));

        app.MapGet("/status/{code:int}", (int code) => Results.Text($"status {code}", statusCode: code));

        app.MapGet("/endless", async context =>
        {
            var chunk = new byte[ChunkBytes];
            while (!context.RequestAborted.IsCancellationRequested)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }
        });

        // Headers and the start of the file, then nothing more while the client waits.
        app.MapGet("/stall/{name}", async (HttpContext context, string name) =>
        {
            var bytes = await File.ReadAllBytesAsync(FileOf(name), context.RequestAborted);
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes.AsMemory(0, ChunkBytes), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });

        app.MapGet("/slow-headers", async context => await Task.Delay(Timeout.Infinite, context.RequestAborted));

        // Announces the whole file, sends half, then drops the connection.
        app.MapGet("/cut/{name}", async (HttpContext context, string name) =>
        {
            var bytes = await File.ReadAllBytesAsync(FileOf(name), context.RequestAborted);
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            context.Abort();
        });

        app.MapGet("/empty", context =>
        {
            context.Response.StatusCode = (int)HttpStatusCode.OK;
            context.Response.ContentLength = 0;
            return Task.CompletedTask;
        });
    }
}

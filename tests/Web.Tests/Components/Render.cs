using System.Net;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MusicSearch.Web.ApiClient;

namespace MusicSearch.Web.Tests.Components;

/// <summary>Renders a component to HTML with the framework's own <see cref="HtmlRenderer"/> (static rendering, as the UI serves it), entities decoded.</summary>
internal static class Render
{
    public static async Task<string> HtmlAsync<TComponent>(params (string Name, object? Value)[] parameters)
        where TComponent : IComponent
    {
        await using var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
        var view = ParameterView.FromDictionary(parameters.ToDictionary(parameter => parameter.Name, parameter => parameter.Value));
        var html = await renderer.Dispatcher.InvokeAsync(async () => (await renderer.RenderComponentAsync<TComponent>(view)).ToHtmlString());
        // The renderer escapes every non-ASCII character (–, ×, ·); assertions read the text as a browser shows it.
        return WebUtility.HtmlDecode(html);
    }

    public static int Count(string html, string fragment)
    {
        var count = 0;
        for (var at = html.IndexOf(fragment, StringComparison.Ordinal); at >= 0; at = html.IndexOf(fragment, at + fragment.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}

/// <summary>Catalog records as the Api would send them.</summary>
internal static class Sample
{
    public static Track Track(string id, string title = "Song", string? artist = "Artist", TrackStatus? status = TrackStatus.Indexed, string? genre = "rock") =>
        new(id, title, artist, "Album", genre, 2020, 120, 185, ["tag"], $"http://api.test/audio/{id}?exp=1&sig=abc",
            status is { } s ? new TrackIndexing(s, 1, DateTimeOffset.UnixEpoch, null, "model-1", s == TrackStatus.Failed ? new IndexingFailure("not-audio", "ffprobe found no audio") : null) : null);

    public static Window Window(int index, double seconds = 30) => new(index, index * seconds, seconds);
}

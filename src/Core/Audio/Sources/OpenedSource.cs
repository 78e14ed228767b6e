namespace MusicSearch.Core.Audio.Sources;

/// <summary>An <see cref="IAudioSource"/> and what must be released with it (an HTTP response, a deadline).</summary>
internal sealed class OpenedSource(string location, long? length, Stream content, params IDisposable[] resources) : IAudioSource
{
    public string Location { get; } = location;

    public string? DescriptorPath { get; init; }

    public long? Length { get; } = length;

    public Stream Content { get; } = content;

    public async ValueTask DisposeAsync()
    {
        await Content.DisposeAsync().ConfigureAwait(false);
        foreach (var resource in resources)
        {
            resource.Dispose();
        }
    }
}

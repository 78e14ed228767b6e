namespace MusicSearch.Core.Tests.Audio.Support;

/// <summary>
/// A class fixture that makes its test class's audio files with ffmpeg, once, in a temporary directory that it
/// deletes afterwards.
/// </summary>
public abstract class GeneratedAudio : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("musicsearch-audio-").FullName;

    protected abstract IEnumerable<AudioRecipe> Recipes { get; }

    public string PathOf(string name) => Path.Combine(_root, name);

    public virtual async Task InitializeAsync() =>
        await Parallel.ForEachAsync(Recipes, async (recipe, _) => await recipe.CreateAsync(_root));

    public virtual Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }
}

using MusicSearch.Core.Audio;
using MusicSearch.Core.Storage;
using MusicSearch.Inference.Packages;

namespace MusicSearch.Indexer.Commands;

internal static class OperatorErrors
{
    /// <summary>
    /// Runs a command body. A bad file, a bad package, a store that refuses or bad arguments are the operator's answer, not a crash:
    /// print the typed reason to stderr and exit 2.
    /// </summary>
    public static async Task<int> RunAsync(TextWriter error, Func<Task> action)
    {
        try
        {
            await action();
            return 0;
        }
        catch (AudioDecodeException ex)
        {
            await error.WriteLineAsync($"error ({ex.Kind}): {ex.Message}");
        }
        catch (ModelPackageException ex)
        {
            await error.WriteLineAsync($"error (package): {ex.Message}");
        }
        catch (TrackStoreException ex)
        {
            await error.WriteLineAsync($"error (store): {ex.Message}");
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
        }
        return 2;
    }
}

namespace MusicSearch.Core.Audio;

internal static class AudioPath
{
    /// <summary>The absolute path of an existing file, or <see cref="AudioDecodeError.NotFound"/>.</summary>
    public static string Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
        {
            throw new AudioDecodeException(AudioDecodeError.NotFound, fullPath, "the path is a directory, not a file");
        }

        if (!File.Exists(fullPath))
        {
            throw new AudioDecodeException(AudioDecodeError.NotFound, fullPath, "no such file");
        }

        return fullPath;
    }
}

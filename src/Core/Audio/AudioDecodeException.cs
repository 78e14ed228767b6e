namespace MusicSearch.Core.Audio;

/// <summary>A file that could not be read or decoded; <see cref="Kind"/> says why.</summary>
public sealed class AudioDecodeException : Exception
{
    public AudioDecodeException(AudioDecodeError kind, string path, string reason, string toolOutput = "")
        : base(ComposeMessage(kind, path, reason, toolOutput))
    {
        Kind = kind;
        Path = path;
        ToolOutput = toolOutput;
    }

    public AudioDecodeError Kind { get; }

    public string Path { get; }

    /// <summary>The first lines ffmpeg or ffprobe wrote to stderr; empty when it said nothing.</summary>
    public string ToolOutput { get; }

    private static string ComposeMessage(AudioDecodeError kind, string path, string reason, string toolOutput) =>
        toolOutput.Length == 0
            ? $"{kind}: {reason} ({path})."
            : $"{kind}: {reason} ({path}). ffmpeg said:{Environment.NewLine}{toolOutput}";
}

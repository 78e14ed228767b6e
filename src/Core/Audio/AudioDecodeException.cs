namespace MusicSearch.Core.Audio;

/// <summary>Audio that could not be read or decoded; <see cref="Kind"/> says why.</summary>
public sealed class AudioDecodeException : AudioException
{
    public AudioDecodeException(AudioDecodeError kind, string path, string reason, string toolOutput = "")
        : base(ComposeMessage(kind, path, reason, toolOutput))
    {
        Kind = kind;
        Path = path;
        Reason = reason;
        ToolOutput = toolOutput;
    }

    /// <summary>Why, without the path and the tool's output.</summary>
    public string Reason { get; }

    /// <summary>The same failure, naming <paramref name="path"/> where it named <see cref="Path"/> (a descriptor that stood for the file).</summary>
    internal AudioDecodeException About(string path) => new(Kind, path, Reason, ToolOutput.Replace(Path, path, StringComparison.Ordinal));

    public AudioDecodeError Kind { get; }

    /// <summary>The file decoded, or the name of the stream given instead of a file.</summary>
    public string Path { get; }

    /// <summary>Only a timeout may pass on a second try (a busy machine); bad audio stays bad.</summary>
    public override bool IsTransient => Kind == AudioDecodeError.TimedOut;

    /// <summary>The first lines ffmpeg or ffprobe wrote to stderr; empty when it said nothing.</summary>
    public string ToolOutput { get; }

    private static string ComposeMessage(AudioDecodeError kind, string path, string reason, string toolOutput) =>
        toolOutput.Length == 0
            ? $"{kind}: {reason} ({path})."
            : $"{kind}: {reason} ({path}). ffmpeg said:{Environment.NewLine}{toolOutput}";
}

namespace MusicSearch.Api.Previews;

/// <summary>The media type a browser's <c>&lt;audio&gt;</c> needs, from the file's extension (files carry no type of their own).</summary>
public static class AudioContentTypes
{
    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".mp3"] = "audio/mpeg",
        [".ogg"] = "audio/ogg",
        [".oga"] = "audio/ogg",
        [".opus"] = "audio/ogg",
        [".flac"] = "audio/flac",
        [".wav"] = "audio/wav",
        [".m4a"] = "audio/mp4",
        [".mp4"] = "audio/mp4",
        [".aac"] = "audio/aac",
        [".webm"] = "audio/webm",
        [".aif"] = "audio/aiff",
        [".aiff"] = "audio/aiff",
    };

    /// <summary>Unknown extensions (tracker modules, …) are served as bytes: some browsers still play them, none misreads them.</summary>
    public static string For(string path) =>
        ByExtension.TryGetValue(Path.GetExtension(path), out var type) ? type : "application/octet-stream";
}

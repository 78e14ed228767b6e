namespace MusicSearch.Core.Audio;

/// <summary>The descriptive tags a file carries; null where the file has none. Values are as written, e.g. Track "3/12".</summary>
public sealed record AudioTags(string? Title, string? Artist, string? Album, string? Genre, string? Date, string? Track);

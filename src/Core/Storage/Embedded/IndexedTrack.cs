using MusicSearch.Core.Catalog;

namespace MusicSearch.Core.Storage.Embedded;

/// <summary>A searchable track in memory: its payload, the keys filters compare (computed once), and where its windows are.</summary>
internal sealed class IndexedTrack
{
    public IndexedTrack(Track track, int firstWindow, int windowCount)
    {
        Track = track;
        ArtistKey = KeyOf(track.Artist);
        AlbumKey = KeyOf(track.Album);
        GenreKey = KeyOf(track.Genre);
        TagKeys = [.. track.Tags.Select(TrackFilter.Key)];
        FirstWindow = firstWindow;
        WindowCount = windowCount;
    }

    public Track Track { get; }

    public string? ArtistKey { get; }

    public string? AlbumKey { get; }

    public string? GenreKey { get; }

    public string[] TagKeys { get; }

    /// <summary>The row of its first window in the window matrix; the others follow it.</summary>
    public int FirstWindow { get; }

    public int WindowCount { get; }

    public IndexedTrack WithTrack(Track track) => new(track, FirstWindow, WindowCount);

    public IndexedTrack WithFirstWindow(int firstWindow) => new(Track, firstWindow, WindowCount);

    private static string? KeyOf(string? value) => value is null ? null : TrackFilter.Key(value);
}

namespace MusicSearch.Evaluation.Retrieval;

/// <summary>Which tracks count as right answers for a query track.</summary>
public enum RelevanceKind
{
    /// <summary>Tracks by the same artist, among all other tracks.</summary>
    Artist,

    /// <summary>
    /// Tracks by the same artist on other albums, with the query's album removed from the candidates (the "artist
    /// filter" of MIR practice, here by album): a model cannot score by recognising one production or session.
    /// </summary>
    ArtistAlbumFiltered,

    /// <summary>Tracks from the same album, among all other tracks.</summary>
    Album,
}

public static class RelevanceKinds
{
    public static IReadOnlyList<RelevanceKind> All { get; } = [RelevanceKind.Artist, RelevanceKind.ArtistAlbumFiltered, RelevanceKind.Album];

    /// <summary>The name in the JSON report; part of its schema, so never renamed.</summary>
    public static string Key(this RelevanceKind kind) => kind switch
    {
        RelevanceKind.Artist => "same_artist",
        RelevanceKind.ArtistAlbumFiltered => "same_artist_album_filtered",
        RelevanceKind.Album => "same_album",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown relevance kind"),
    };

    public static string Label(this RelevanceKind kind) => kind switch
    {
        RelevanceKind.Artist => "same artist",
        RelevanceKind.ArtistAlbumFiltered => "same artist, same album filtered out",
        RelevanceKind.Album => "same album",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown relevance kind"),
    };
}

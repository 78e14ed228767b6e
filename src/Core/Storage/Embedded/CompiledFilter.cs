using MusicSearch.Core.Catalog;

namespace MusicSearch.Core.Storage.Embedded;

/// <summary>
/// A <see cref="TrackFilter"/> turned into hash sets of keys, checked against the precomputed keys of an
/// <see cref="IndexedTrack"/> for every candidate row of a search. Admits exactly what <see cref="TrackFilter.Matches"/> admits.
/// </summary>
internal sealed class CompiledFilter
{
    private readonly HashSet<string>? _artists;
    private readonly HashSet<string>? _albums;
    private readonly HashSet<string>? _genres;
    private readonly HashSet<string>? _tags;
    private readonly HashSet<string>? _excludedArtists;
    private readonly HashSet<string>? _excludedAlbums;
    private readonly HashSet<TrackId>? _excludedTracks;
    private readonly TrackFilter _filter;

    public CompiledFilter(TrackFilter filter)
    {
        _filter = filter;
        _artists = Keys(filter.Artists);
        _albums = Keys(filter.Albums);
        _genres = Keys(filter.Genres);
        _tags = Keys(filter.Tags);
        _excludedArtists = Keys(filter.ExcludeArtists);
        _excludedAlbums = Keys(filter.ExcludeAlbums);
        _excludedTracks = filter.ExcludeTracks is { Count: > 0 } tracks ? [.. tracks] : null;
        IsEmpty = _artists is null && _albums is null && _genres is null && _tags is null && _excludedArtists is null &&
            _excludedAlbums is null && _excludedTracks is null && filter.YearFrom is null && filter.YearTo is null &&
            filter.BpmFrom is null && filter.BpmTo is null;
    }

    /// <summary>True when every track passes.</summary>
    public bool IsEmpty { get; }

    public bool Matches(IndexedTrack track)
    {
        var payload = track.Track;
        return Admits(_artists, track.ArtistKey)
            && Admits(_albums, track.AlbumKey)
            && Admits(_genres, track.GenreKey)
            && (_tags is null || HasAny(_tags, track.TagKeys))
            && TrackFilter.InRange(payload.Year, _filter.YearFrom, _filter.YearTo)
            && TrackFilter.InRange(payload.Bpm, _filter.BpmFrom, _filter.BpmTo)
            && !(track.ArtistKey is { } artist && _excludedArtists is not null && _excludedArtists.Contains(artist))
            && !(track.AlbumKey is { } album && _excludedAlbums is not null && _excludedAlbums.Contains(album))
            && !(_excludedTracks is not null && _excludedTracks.Contains(payload.Id));
    }

    private static HashSet<string>? Keys(IReadOnlyList<string>? values) =>
        values is { Count: > 0 } ? values.Select(TrackFilter.Key).ToHashSet(StringComparer.Ordinal) : null;

    private static bool Admits(HashSet<string>? wanted, string? key) => wanted is null || key is not null && wanted.Contains(key);

    private static bool HasAny(HashSet<string> wanted, string[] keys)
    {
        foreach (var key in keys)
        {
            if (wanted.Contains(key))
            {
                return true;
            }
        }
        return false;
    }
}

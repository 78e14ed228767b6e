using MusicSearch.Core.Catalog;

namespace MusicSearch.Core.Storage;

/// <summary>
/// Payload conditions a result must meet. Lists match any of their values; text values match exactly, ignoring case
/// (both sides go through <see cref="Key"/>). Range bounds are inclusive; a track whose field is unknown fails a
/// condition on that field. Null or empty conditions do not filter.
/// </summary>
public sealed record TrackFilter
{
    public static TrackFilter None { get; } = new();

    public IReadOnlyList<string>? Artists { get; init; }

    public IReadOnlyList<string>? Albums { get; init; }

    public IReadOnlyList<string>? Genres { get; init; }

    /// <summary>The track must carry at least one of these tags.</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    public int? YearFrom { get; init; }

    public int? YearTo { get; init; }

    public double? BpmFrom { get; init; }

    public double? BpmTo { get; init; }

    public IReadOnlyList<string>? ExcludeArtists { get; init; }

    public IReadOnlyList<string>? ExcludeAlbums { get; init; }

    public IReadOnlyList<TrackId>? ExcludeTracks { get; init; }

    /// <summary>The form in which keyword fields are compared (and indexed by stores that compare exactly).</summary>
    public static string Key(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.ToLowerInvariant();
    }

    /// <summary>Throws <see cref="ArgumentException"/> for ranges that are empty or not finite.</summary>
    public void Validate()
    {
        if (YearFrom > YearTo)
        {
            throw new ArgumentException($"the year range {YearFrom}–{YearTo} is empty");
        }
        if (BpmFrom is { } low && !double.IsFinite(low) || BpmTo is { } high && !double.IsFinite(high))
        {
            throw new ArgumentException("bpm bounds must be finite numbers");
        }
        if (BpmFrom > BpmTo)
        {
            throw new ArgumentException($"the bpm range {BpmFrom}–{BpmTo} is empty");
        }
    }

    /// <summary>The reference semantics of the filter; every store must return exactly the tracks this admits.</summary>
    public bool Matches(Track track)
    {
        ArgumentNullException.ThrowIfNull(track);
        return AnyOf(Artists, track.Artist)
            && AnyOf(Albums, track.Album)
            && AnyOf(Genres, track.Genre)
            && (Tags is not { Count: > 0 } || track.Tags.Any(tag => Contains(Tags, tag)))
            && InRange(track.Year, YearFrom, YearTo)
            && InRange(track.Bpm, BpmFrom, BpmTo)
            && !(track.Artist is { } artist && Contains(ExcludeArtists, artist))
            && !(track.Album is { } album && Contains(ExcludeAlbums, album))
            && !(ExcludeTracks?.Contains(track.Id) ?? false);
    }

    /// <summary>This filter with more exclusions, as seeds of a similarity query add them.</summary>
    public TrackFilter Excluding(IEnumerable<TrackId> tracks, IEnumerable<string> artists, IEnumerable<string> albums) => this with
    {
        ExcludeTracks = [.. ExcludeTracks ?? [], .. tracks],
        ExcludeArtists = [.. ExcludeArtists ?? [], .. artists],
        ExcludeAlbums = [.. ExcludeAlbums ?? [], .. albums],
    };

    private static bool AnyOf(IReadOnlyList<string>? wanted, string? value) => wanted is not { Count: > 0 } || value is not null && Contains(wanted, value);

    private static bool Contains(IReadOnlyList<string>? values, string value)
    {
        if (values is null)
        {
            return false;
        }
        var key = Key(value);
        foreach (var candidate in values)
        {
            if (Key(candidate) == key)
            {
                return true;
            }
        }
        return false;
    }

    internal static bool InRange<T>(T? value, T? from, T? to) where T : struct, IComparable<T> =>
        (from is null && to is null) || value is { } v && (from is not { } f || v.CompareTo(f) >= 0) && (to is not { } t || v.CompareTo(t) <= 0);
}

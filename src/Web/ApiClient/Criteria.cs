namespace MusicSearch.Web.ApiClient;

/// <summary>The catalog-payload conditions the UI offers (a subset of the Api's <c>TrackFilter</c>).</summary>
public sealed record TrackFilterInput(string? Genre, int? YearFrom, int? YearTo)
{
    /// <summary>The <c>TrackFilter</c> variable, or null when nothing is set (so the argument is left out).</summary>
    internal object? ToVariable() => string.IsNullOrWhiteSpace(Genre) && YearFrom is null && YearTo is null
        ? null
        : new { genres = string.IsNullOrWhiteSpace(Genre) ? null : new[] { Genre.Trim() }, yearFrom = YearFrom, yearTo = YearTo };
}

/// <summary>What the search page asks for.</summary>
public sealed record SearchCriteria(string? Text, TrackFilterInput Filter, TrackStatus? Status, int First, string? After);

/// <summary>The "sounds like" controls of the track page.</summary>
public sealed record SimilarOptions(int First, bool ExcludeSameArtist, bool ExcludeSameAlbum, int? MaxPerArtist, double? MinScore, TrackFilterInput Filter);

using MusicSearch.Api.Paging;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;

namespace MusicSearch.Api.Similarity;

/// <summary>What every "tracks like these" list takes besides its seeds: a page, payload filters, diversity and a score floor.</summary>
public sealed record SimilarityRequest
{
    /// <summary>Results on this page, 1..<see cref="OffsetCursor.MaxFirst"/>.</summary>
    public int First { get; init; } = 10;

    /// <summary>The previous page's <see cref="Page{T}.EndCursor"/>.</summary>
    public string? After { get; init; }

    public TrackFilter Filter { get; init; } = TrackFilter.None;

    /// <summary>Leave out tracks by the seed tracks' artists.</summary>
    public bool ExcludeSameArtist { get; init; }

    /// <summary>Leave out tracks from the seed tracks' albums.</summary>
    public bool ExcludeSameAlbum { get; init; }

    /// <summary>At most this many results by one artist.</summary>
    public int? MaxPerArtist { get; init; }

    /// <summary>Leave out results scoring below this (a 0–1 <see cref="SimilarityScore"/>).</summary>
    public double? MinScore { get; init; }
}

/// <summary>A result: the track, its 0–1 score (<see cref="SimilarityScore"/>) and the raw cosine similarity.</summary>
public sealed record ScoredTrack(Track Track, double Score, double Cosine);

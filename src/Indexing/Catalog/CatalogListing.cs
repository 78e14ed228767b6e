using MusicSearch.Core.Catalog;

namespace MusicSearch.Indexing.Catalog;

/// <summary>The tracks a folder or manifest describes, and the entries that could not become tracks (with why).</summary>
public sealed record CatalogListing(IReadOnlyList<Track> Tracks, IReadOnlyList<CatalogProblem> Problems);

/// <summary>An entry left out of a listing: where it is (file or manifest line) and what is wrong with it.</summary>
public sealed record CatalogProblem(string Location, string Reason);

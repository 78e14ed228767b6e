namespace MusicSearch.Evaluation.Retrieval;

/// <summary>A catalog track with its proxy labels; a missing label is null and never matches anything.</summary>
public sealed record LabelledTrack(string Id, string? Artist, string? Album);

/// <summary>
/// The tracks a run indexed, with the relevance rules of the three retrieval tasks. Labels compare ignoring case
/// (as the store's artist and album filters do), so "The Band" and "the band" are one artist.
/// </summary>
public sealed class LabelledCatalog
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _byArtist = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _byAlbum = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Artist, string Album), int> _byArtistAndAlbum = [];

    /// <exception cref="ArgumentException">An id is empty or appears twice.</exception>
    public LabelledCatalog(IEnumerable<LabelledTrack> tracks)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        var ordered = new List<LabelledTrack>();
        foreach (var track in tracks)
        {
            if (string.IsNullOrEmpty(track.Id))
            {
                throw new ArgumentException("every catalog track needs an id", nameof(tracks));
            }
            var entry = new Entry(Key(track.Artist), Key(track.Album));
            if (!_entries.TryAdd(track.Id, entry))
            {
                throw new ArgumentException($"the catalog lists track '{track.Id}' twice", nameof(tracks));
            }
            ordered.Add(track);
            if (entry.Artist is { } artist)
            {
                _byArtist[artist] = _byArtist.GetValueOrDefault(artist) + 1;
                if (entry.Album is { } album)
                {
                    _byArtistAndAlbum[(artist, album)] = _byArtistAndAlbum.GetValueOrDefault((artist, album)) + 1;
                }
            }
            if (entry.Album is { } albumKey)
            {
                _byAlbum[albumKey] = _byAlbum.GetValueOrDefault(albumKey) + 1;
            }
        }
        Tracks = ordered;
    }

    public IReadOnlyList<LabelledTrack> Tracks { get; }

    public int Count => _entries.Count;

    public int ArtistCount => _byArtist.Count;

    public int AlbumCount => _byAlbum.Count;

    public bool Contains(string id) => _entries.ContainsKey(id);

    /// <summary>Whether <paramref name="candidate"/> may appear in <paramref name="query"/>'s list for this task (never the query itself).</summary>
    public bool IsCandidate(string query, string candidate, RelevanceKind kind)
    {
        if (query == candidate)
        {
            return false;
        }
        return kind != RelevanceKind.ArtistAlbumFiltered || !SameAlbum(Get(query), Get(candidate));
    }

    /// <summary>How many tracks may appear in <paramref name="query"/>'s list for this task.</summary>
    public int CandidateCount(string query, RelevanceKind kind) =>
        kind == RelevanceKind.ArtistAlbumFiltered && Get(query).Album is { } album ? Count - _byAlbum[album] : Count - 1;

    public bool IsRelevant(string query, string candidate, RelevanceKind kind)
    {
        if (!IsCandidate(query, candidate, kind))
        {
            return false;
        }
        var (q, c) = (Get(query), Get(candidate));
        return kind == RelevanceKind.Album ? SameAlbum(q, c) : q.Artist is not null && q.Artist == c.Artist;
    }

    /// <summary>Relevant candidates of <paramref name="query"/> in the whole catalog, ranked or not.</summary>
    public int RelevantCount(string query, RelevanceKind kind)
    {
        var q = Get(query);
        return kind switch
        {
            RelevanceKind.Artist => q.Artist is { } artist ? _byArtist[artist] - 1 : 0,
            RelevanceKind.ArtistAlbumFiltered => q.Artist is not { } artist ? 0
                : _byArtist[artist] - (q.Album is { } album ? _byArtistAndAlbum[(artist, album)] : 1),
            RelevanceKind.Album => q.Album is { } albumKey ? _byAlbum[albumKey] - 1 : 0,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown relevance kind"),
        };
    }

    public bool HasArtist(string id) => Get(id).Artist is not null;

    private Entry Get(string id) =>
        _entries.TryGetValue(id, out var entry) ? entry : throw new ArgumentException($"track '{id}' is not in the evaluated catalog", nameof(id));

    private static bool SameAlbum(Entry a, Entry b) => a.Album is not null && a.Album == b.Album;

    private static string? Key(string? label) => string.IsNullOrWhiteSpace(label) ? null : label.Trim().ToLowerInvariant();

    private readonly record struct Entry(string? Artist, string? Album);
}

using System.CommandLine;
using System.Globalization;
using MusicSearch.Core.Storage;

namespace MusicSearch.Indexer.Commands;

/// <summary>
/// The similarity settings that <c>search</c> and <c>neighbours</c> share, so a nightly neighbours file and an
/// interactive search answer the same question: result count, payload filters, seed exclusions, diversity, precision.
/// </summary>
internal sealed class SimilarityOptions
{
    public Option<int> K { get; } = new("--k") { Description = "Results per query.", DefaultValueFactory = _ => 10 };
    private readonly Option<string[]> _artists = Many("--artist", "Only these artists.");
    private readonly Option<string[]> _albums = Many("--album", "Only these albums.");
    private readonly Option<string[]> _genres = Many("--genre", "Only these genres.");
    private readonly Option<string[]> _tags = Many("--tag", "Only tracks with at least one of these tags.");
    private readonly Option<int?> _yearFrom = new("--year-from") { Description = "Earliest year (inclusive)." };
    private readonly Option<int?> _yearTo = new("--year-to") { Description = "Latest year (inclusive)." };
    private readonly Option<double?> _bpmFrom = new("--bpm-from") { Description = "Slowest tempo (inclusive)." };
    private readonly Option<double?> _bpmTo = new("--bpm-to") { Description = "Fastest tempo (inclusive)." };
    private readonly Option<string[]> _excludeArtists = Many("--exclude-artist", "Never these artists.");
    private readonly Option<string[]> _excludeAlbums = Many("--exclude-album", "Never these albums.");
    private readonly Option<bool> _excludeSeedArtist = new("--exclude-seed-artist") { Description = "Leave out the seed track's artist." };
    private readonly Option<bool> _excludeSeedAlbum = new("--exclude-seed-album") { Description = "Leave out the seed track's album." };
    private readonly Option<int?> _maxPerArtist = new("--max-per-artist") { Description = "At most this many results by one artist." };
    private readonly Option<float?> _minScore = new("--min-score") { Description = "Leave out results below this cosine similarity." };
    private readonly Option<bool> _quantized = new("--quantized") { Description = "Score on 8-bit codes and rescore the best in fp32 (faster)." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[]
        {
            K, _artists, _albums, _genres, _tags, _yearFrom, _yearTo, _bpmFrom, _bpmTo, _excludeArtists, _excludeAlbums,
            _excludeSeedArtist, _excludeSeedAlbum, _maxPerArtist, _minScore, _quantized,
        })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The query for <paramref name="seed"/> with every setting given on the command line; validated.</summary>
    public SimilarityQuery Query(ParseResult parse, QueryExample seed)
    {
        var query = new SimilarityQuery
        {
            Positive = [seed],
            Limit = parse.GetValue(K),
            Filter = new TrackFilter
            {
                Artists = NullIfEmpty(parse.GetValue(_artists)),
                Albums = NullIfEmpty(parse.GetValue(_albums)),
                Genres = NullIfEmpty(parse.GetValue(_genres)),
                Tags = NullIfEmpty(parse.GetValue(_tags)),
                YearFrom = parse.GetValue(_yearFrom),
                YearTo = parse.GetValue(_yearTo),
                BpmFrom = parse.GetValue(_bpmFrom),
                BpmTo = parse.GetValue(_bpmTo),
                ExcludeArtists = NullIfEmpty(parse.GetValue(_excludeArtists)),
                ExcludeAlbums = NullIfEmpty(parse.GetValue(_excludeAlbums)),
            },
            ExcludeSeedArtists = parse.GetValue(_excludeSeedArtist),
            ExcludeSeedAlbums = parse.GetValue(_excludeSeedAlbum),
            MaxPerArtist = parse.GetValue(_maxPerArtist),
            MinScore = parse.GetValue(_minScore),
            Precision = parse.GetValue(_quantized) ? SearchPrecision.Quantized : SearchPrecision.Exact,
        };
        query.Validate();
        return query;
    }

    /// <summary>The settings as one stable string (every option but the seed), to tell whether two jobs are the same.</summary>
    public string Describe(ParseResult parse)
    {
        var query = Query(parse, QueryExample.OfVector([1f]));
        var filter = query.Filter;
        return string.Join(';',
            $"k={query.Limit}",
            $"artists={Join(filter.Artists)}", $"albums={Join(filter.Albums)}", $"genres={Join(filter.Genres)}", $"tags={Join(filter.Tags)}",
            $"years={filter.YearFrom}-{filter.YearTo}",
            string.Create(CultureInfo.InvariantCulture, $"bpm={filter.BpmFrom}-{filter.BpmTo}"),
            $"excludeArtists={Join(filter.ExcludeArtists)}", $"excludeAlbums={Join(filter.ExcludeAlbums)}",
            $"excludeSeedArtist={query.ExcludeSeedArtists}", $"excludeSeedAlbum={query.ExcludeSeedAlbums}",
            $"maxPerArtist={query.MaxPerArtist}",
            string.Create(CultureInfo.InvariantCulture, $"minScore={query.MinScore}"),
            $"precision={query.Precision}");
    }

    private static Option<string[]> Many(string name, string description) =>
        new(name) { Description = description + " Repeatable.", AllowMultipleArgumentsPerToken = false, Arity = ArgumentArity.ZeroOrMore };

    private static string[]? NullIfEmpty(string[]? values) => values is { Length: > 0 } ? values : null;

    private static string Join(IReadOnlyList<string>? values) => values is null ? "" : string.Join(',', values);
}

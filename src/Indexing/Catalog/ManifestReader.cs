using System.Globalization;
using CsvHelper;
using MusicSearch.Core.Catalog;

namespace MusicSearch.Indexing.Catalog;

/// <summary>
/// Reads a catalog manifest CSV (header row required). Columns, by name in any order, unknown ones ignored:
/// <c>path</c> (audio file, relative to the manifest's folder) or <c>uri</c> (<c>file://</c> or <c>https://</c>) — one is
/// required; <c>id</c> (defaults to the path); <c>title</c>, <c>artist</c>, <c>album</c>, <c>genre</c>, <c>year</c>,
/// <c>bpm</c>, <c>duration_s</c>, <c>tags</c> (separated by <c>;</c> or <c>|</c>). This is the format
/// <c>fetch-music.py</c> writes. A bad row is reported and skipped; the rest is read.
/// </summary>
public static class ManifestReader
{
    public static CatalogListing Read(string manifestPath)
    {
        var fullPath = Path.GetFullPath(manifestPath);
        var baseDirectory = Path.GetDirectoryName(fullPath)!;
        using var text = new StreamReader(fullPath);
        using var csv = CsvReader.Create(text, new CsvReaderOptions { Separator = ',' });
        using var rows = new CsvDataReader(csv, leaveOpen: false);
        var columns = new Dictionary<string, int>();
        for (var i = 0; i < rows.FieldCount; i++)
        {
            columns.TryAdd(rows.GetName(i).Trim().ToLowerInvariant(), i);
        }
        if (!columns.ContainsKey("path") && !columns.ContainsKey("uri"))
        {
            throw new InvalidDataException($"{manifestPath}: the header needs a 'path' or a 'uri' column, found: {string.Join(", ", columns.Keys)}");
        }

        var tracks = new List<Track>();
        var problems = new List<CatalogProblem>();
        var seen = new HashSet<TrackId>();
        for (var row = 1; rows.Read(); row++)
        {
            var location = $"{manifestPath}: row {row}";
            try
            {
                var track = ReadRow(name => Cell(rows, columns, name), baseDirectory);
                if (!seen.Add(track.Id))
                {
                    problems.Add(new CatalogProblem(location, $"duplicate id '{track.Id}' (the first row with it is kept)"));
                    continue;
                }
                tracks.Add(track);
            }
            catch (Exception error) when (error is ArgumentException or FormatException)
            {
                problems.Add(new CatalogProblem(location, error.Message));
            }
        }
        return new CatalogListing(tracks, problems);
    }

    private static string? Cell(CsvDataReader rows, Dictionary<string, int> columns, string name) =>
        columns.TryGetValue(name, out var index) && index < rows.FieldCount && !rows.IsDBNull(index) && rows.GetString(index).Trim() is { Length: > 0 } value
            ? value
            : null;

    private static Track ReadRow(Func<string, string?> field, string baseDirectory)
    {
        var relativePath = field("path");
        var audioUri = field("uri") ?? (relativePath is null
            ? throw new FormatException("the row has neither a path nor a uri")
            : new Uri(Path.GetFullPath(relativePath, baseDirectory)).AbsoluteUri);
        var id = field("id") ?? relativePath?.Replace('\\', '/') ?? audioUri;
        var track = new Track
        {
            Id = new TrackId(id),
            Title = field("title") ?? Path.GetFileNameWithoutExtension(relativePath ?? new Uri(audioUri).AbsolutePath),
            Artist = field("artist"),
            Album = field("album"),
            Genre = field("genre"),
            Year = field("year") is { } year ? TagValues.Year(year) ?? throw new FormatException($"year '{year}' is not a year") : null,
            Bpm = field("bpm") is { } bpm ? Number(bpm, "bpm") : null,
            DurationSeconds = field("duration_s") is { } duration ? Number(duration, "duration_s") : null,
            AudioUri = audioUri,
            Tags = field("tags") is { } tags ? TagValues.Keywords(tags) : [],
        };
        track.Validate();
        return track;
    }

    private static double Number(string text, string column) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new FormatException($"{column} '{text}' is not a number");
}

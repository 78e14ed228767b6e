using MusicSearch.Api.Similarity;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage;
using MusicSearch.GraphQL.Execution;

namespace MusicSearch.Api.GraphQL.SchemaDefinition;

/// <summary>
/// Turns coerced GraphQL arguments into the services' types. Values GraphQL's types cannot rule out (an id that is not
/// a valid track id, an empty range) throw <see cref="ArgumentException"/>, which the schema reports as BAD_USER_INPUT.
/// </summary>
internal static class InputReader
{
    public static TrackId Id(string? value, string argument) =>
        TrackId.TryValidate(value, out var problem) ? new TrackId(value!) : throw new ArgumentException($"{argument}: {problem}");

    public static IReadOnlyList<TrackId> Ids(IReadOnlyList<string> values, string argument) =>
        [.. values.Select((value, i) => Id(value, $"{argument}[{i}]"))];

    /// <summary>The <c>TrackFilter</c> input (a dictionary of the fields given), or no filter.</summary>
    public static TrackFilter Filter(object? input)
    {
        if (input is not IReadOnlyDictionary<string, object?> fields)
        {
            return TrackFilter.None;
        }
        var filter = new TrackFilter
        {
            Artists = Strings(fields, "artists"),
            Albums = Strings(fields, "albums"),
            Genres = Strings(fields, "genres"),
            Tags = Strings(fields, "tags"),
            YearFrom = fields.GetValueOrDefault("yearFrom") as int?,
            YearTo = fields.GetValueOrDefault("yearTo") as int?,
            BpmFrom = fields.GetValueOrDefault("bpmFrom") as double?,
            BpmTo = fields.GetValueOrDefault("bpmTo") as double?,
            ExcludeArtists = Strings(fields, "excludeArtists"),
            ExcludeAlbums = Strings(fields, "excludeAlbums"),
            ExcludeTracks = Strings(fields, "excludeTracks") is { } ids ? Ids(ids, "filter.excludeTracks") : null,
        };
        filter.Validate();
        return filter;
    }

    /// <summary>The page, filter, diversity and score arguments every "tracks like these" field shares.</summary>
    public static SimilarityRequest Similarity(FieldContext context) => new()
    {
        First = context.Argument<int>("first"),
        After = context.Argument<string?>("after"),
        Filter = Filter(context.Arguments.GetValueOrDefault("filter")),
        ExcludeSameArtist = context.Argument<bool?>("excludeSameArtist") ?? false,
        ExcludeSameAlbum = context.Argument<bool?>("excludeSameAlbum") ?? false,
        MaxPerArtist = context.Argument<int?>("maxPerArtist"),
        MinScore = context.Argument<double?>("minScore"),
    };

    private static string[]? Strings(IReadOnlyDictionary<string, object?> fields, string name) =>
        fields.GetValueOrDefault(name) is IEnumerable<object?> values ? [.. values.OfType<string>()] : null;
}

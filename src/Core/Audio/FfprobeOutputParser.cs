using System.Globalization;
using System.Text.Json;

namespace MusicSearch.Core.Audio;

/// <summary>Turns ffprobe's <c>-print_format json -show_format -show_streams</c> output into <see cref="AudioMetadata"/>.</summary>
internal static class FfprobeOutputParser
{
    /// <summary>
    /// Null when the output holds no decodable audio stream. ffprobe happily "finds" one in random bytes, but with
    /// a sample rate and channel count of 0, so those count as none.
    /// </summary>
    public static AudioMetadata? Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var format = Property(root, "format");
        if (Property(root, "streams") is not { ValueKind: JsonValueKind.Array } streams || streams.GetArrayLength() == 0)
        {
            return null;
        }

        var stream = streams[0];
        var sampleRate = Number(stream, "sample_rate") ?? 0;
        var channels = Number(stream, "channels") ?? 0;
        if (sampleRate <= 0 || channels <= 0)
        {
            return null;
        }

        return new AudioMetadata(
            FormatName: Text(format, "format_name") ?? "unknown",
            Codec: Text(stream, "codec_name") ?? "unknown",
            Duration: Duration(stream) ?? Duration(format),
            SampleRate: (int)sampleRate,
            Channels: (int)channels,
            BitRate: Number(stream, "bit_rate") ?? Number(format, "bit_rate"),
            Tags: Tags(Property(format, "tags"), Property(stream, "tags")));
    }

    // Where tags live depends on the container: ID3, MP4, FLAC and WAV put them on the format, Ogg puts its
    // Vorbis comments on the stream. Keys keep whatever case the file used ("TITLE", "title").
    private static AudioTags Tags(JsonElement? formatTags, JsonElement? streamTags)
    {
        string? Find(string key) => Tag(formatTags, key) ?? Tag(streamTags, key);
        return new AudioTags(Find("title"), Find("artist"), Find("album"), Find("genre"), Find("date"), Find("track"));
    }

    private static string? Tag(JsonElement? tags, string key)
    {
        if (tags is not { ValueKind: JsonValueKind.Object } entries)
        {
            return null;
        }

        foreach (var entry in entries.EnumerateObject())
        {
            if (entry.Name.Equals(key, StringComparison.OrdinalIgnoreCase)
                && entry.Value.ValueKind == JsonValueKind.String
                && !string.IsNullOrWhiteSpace(entry.Value.GetString()))
            {
                return entry.Value.GetString();
            }
        }

        return null;
    }

    private static TimeSpan? Duration(JsonElement? element) =>
        Text(element, "duration") is { } text
        && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
        && seconds >= 0
            ? TimeSpan.FromSeconds(seconds)
            : null;

    // ffprobe writes most numbers as strings ("sample_rate": "44100") but some as numbers ("channels": 2).
    private static long? Number(JsonElement? element, string name) => Property(element, name) switch
    {
        { ValueKind: JsonValueKind.Number } number when number.TryGetInt64(out var value) => value,
        { ValueKind: JsonValueKind.String } text when long.TryParse(text.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) => value,
        _ => null,
    };

    private static string? Text(JsonElement? element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.String } text ? text.GetString() : null;

    private static JsonElement? Property(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty(name, out var property) ? property : null;
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MusicSearch.Core.Catalog;

/// <summary>
/// The catalog's own identifier of a track (an ISRC, a database key, a file stem…). Stores derive their point ids from
/// it, so indexing the same track twice always lands on the same point.
/// </summary>
[JsonConverter(typeof(TrackIdJsonConverter))]
public readonly record struct TrackId : IComparable<TrackId>
{
    public const int MaxLength = 256;

    // A fixed namespace makes point ids stable across processes, machines and store implementations.
    private static readonly Guid PointNamespace = Guid.Parse("6f1c2b1e-5a0d-4f7e-9c3b-8d2a4e6f1b7c");

    public TrackId(string value)
    {
        if (!TryValidate(value, out var problem))
        {
            throw new ArgumentException(problem, nameof(value));
        }
        _value = value;
    }

    private readonly string? _value;

    public string Value => _value ?? throw new InvalidOperationException("an uninitialised TrackId has no value");

    public static bool TryParse(string? value, out TrackId id)
    {
        id = default;
        if (!TryValidate(value, out _))
        {
            return false;
        }
        id = new TrackId(value!);
        return true;
    }

    /// <summary>Why <paramref name="value"/> is not a valid track id, or true when it is.</summary>
    public static bool TryValidate(string? value, out string problem)
    {
        problem = value switch
        {
            null or "" => "a track id must not be empty",
            { Length: > MaxLength } => $"a track id must be at most {MaxLength} characters, got {value.Length}",
            _ when value.Any(char.IsControl) => "a track id must not contain control characters",
            _ when value.Trim().Length != value.Length => "a track id must not start or end with white space",
            // A lone surrogate has no UTF-8 form: stores would silently turn it into U+FFFD and merge distinct ids.
            _ when HasUnpairedSurrogate(value) => "a track id must be valid Unicode (no unpaired surrogates)",
            _ => "",
        };
        return problem.Length == 0;
    }

    private static bool HasUnpairedSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A name-based (version 5) UUID of this id: the point id used by vector stores that need UUIDs.</summary>
    public Guid ToPointId() => NameBasedUuid.Create(PointNamespace, Encoding.UTF8.GetBytes(Value));

    /// <summary>
    /// Unicode code point order, which is also the byte order of the UTF-8 form: the order stores that compare bytes
    /// (SQLite, Qdrant keywords) list ids in. Plain UTF-16 ordinal order differs only for characters above U+FFFF.
    /// </summary>
    public int CompareTo(TrackId other)
    {
        var left = Value.AsSpan();
        var right = other.Value.AsSpan();
        var common = left.CommonPrefixLength(right);
        if (common == left.Length || common == right.Length)
        {
            return left.Length - right.Length;
        }
        return CodePointRank(left[common]) - CodePointRank(right[common]);
    }

    // Surrogates (D800–DFFF) start code points above FFFF, so they move above E000–FFFF; everything below D800 stays.
    private static int CodePointRank(char c) => c switch
    {
        >= '\uE000' => c - 0x800,
        >= '\uD800' => c + 0x2000,
        _ => c,
    };

    public override string ToString() => Value;

    public static bool operator <(TrackId left, TrackId right) => left.CompareTo(right) < 0;

    public static bool operator >(TrackId left, TrackId right) => left.CompareTo(right) > 0;

    public static bool operator <=(TrackId left, TrackId right) => left.CompareTo(right) <= 0;

    public static bool operator >=(TrackId left, TrackId right) => left.CompareTo(right) >= 0;
}

/// <summary>Writes a <see cref="TrackId"/> as the plain string it wraps, in messages and API payloads alike.</summary>
public sealed class TrackIdJsonConverter : JsonConverter<TrackId>
{
    public override TrackId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new JsonException("a track id must be a JSON string");
        return TrackId.TryValidate(value, out var problem) ? new TrackId(value!) : throw new JsonException(problem);
    }

    public override void Write(Utf8JsonWriter writer, TrackId value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.Value);
    }
}

using System.Text.Json;

namespace MusicSearch.Inference.Packages;

/// <summary>
/// Typed access to one JSON object of model.json that names the offending field, by its full path,
/// in every error ("model.json: 'frontend.n_mels' must be a positive integer, found -3").
/// </summary>
public readonly struct ManifestReader
{
    private readonly JsonElement _element;
    private readonly string _source;
    private readonly string _path;

    public ManifestReader(JsonElement element, string source, string path)
    {
        _element = element;
        _source = source;
        _path = path;
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Error(path.Length == 0 ? "the document must be a JSON object" : $"'{path}' must be an object, found {Describe(element)}");
        }
    }

    public string FieldPath(string name) => _path.Length == 0 ? name : _path + "." + name;

    public bool Has(string name) => _element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public ManifestReader Section(string name) => new(Required(name), _source, FieldPath(name));

    public string Text(string name)
    {
        var value = Required(name);
        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            throw Invalid(name, "must be a non-empty string", value);
        }
        return value.GetString()!;
    }

    public string? OptionalText(string name) => Has(name) ? Text(name) : null;

    public string OneOf(string name, params string[] allowed)
    {
        var value = Text(name);
        return Array.IndexOf(allowed, value) >= 0
            ? value
            : throw Error($"'{FieldPath(name)}' must be one of {string.Join(", ", allowed.Select(a => $"'{a}'"))}, found '{value}'");
    }

    public int PositiveInteger(string name) => IntegerIn(name, minimum: 1);

    public int IntegerIn(string name, int minimum = int.MinValue, int maximum = int.MaxValue)
    {
        var value = Required(name);
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            throw Invalid(name, "must be an integer", value);
        }
        if (number < minimum || number > maximum)
        {
            var range = maximum == int.MaxValue ? $">= {minimum}" : $"between {minimum} and {maximum}";
            throw Invalid(name, $"must be an integer {range}", value);
        }
        return number;
    }

    public double Number(string name, double minimum = double.NegativeInfinity, bool exclusiveMinimum = false)
    {
        var value = Required(name);
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            throw Invalid(name, "must be a finite number", value);
        }
        if (exclusiveMinimum ? number <= minimum : number < minimum)
        {
            throw Invalid(name, $"must be {(exclusiveMinimum ? ">" : ">=")} {minimum}", value);
        }
        return number;
    }

    public bool Flag(string name)
    {
        var value = Required(name);
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid(name, "must be true or false", value),
        };
    }

    public int[] PositiveIntegers(string name)
    {
        var value = Required(name);
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            throw Invalid(name, "must be a non-empty array of positive integers", value);
        }
        var result = new int[value.GetArrayLength()];
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var number) || number < 1)
            {
                throw Error($"'{FieldPath(name)}[{i}]' must be a positive integer, found {Describe(item)}");
            }
            result[i++] = number;
        }
        return result;
    }

    /// <summary>A string-to-string map (free-form provenance); absent means empty.</summary>
    public IReadOnlyDictionary<string, string> StringMap(string name)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Has(name))
        {
            return map;
        }
        var reader = Section(name);
        foreach (var entry in reader._element.EnumerateObject())
        {
            map[entry.Name] = entry.Value.ValueKind == JsonValueKind.String
                ? entry.Value.GetString()!
                : throw Error($"'{reader.FieldPath(entry.Name)}' must be a string, found {Describe(entry.Value)}");
        }
        return map;
    }

    /// <summary>An error about the object itself or a relation between its fields.</summary>
    public ModelPackageException Error(string message) => new($"{_source}: {message}.");

    private JsonElement Required(string name)
    {
        if (!_element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw Error($"'{FieldPath(name)}' is required");
        }
        return value;
    }

    private ModelPackageException Invalid(string name, string rule, JsonElement found) =>
        Error($"'{FieldPath(name)}' {rule}, found {Describe(found)}");

    private static string Describe(JsonElement element)
    {
        var raw = element.GetRawText();
        return raw.Length > 60 ? raw[..60] + "…" : raw;
    }
}

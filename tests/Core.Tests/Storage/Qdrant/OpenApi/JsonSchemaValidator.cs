using System.Globalization;
using System.Text.Json;

namespace MusicSearch.Core.Tests.Storage.Qdrant.OpenApi;

/// <summary>
/// The part of JSON Schema (OpenAPI 3.0 flavour) that Qdrant's document uses: <c>$ref</c> into <c>components/schemas</c>,
/// <c>type</c>, <c>nullable</c>, <c>properties</c>, <c>required</c>, <c>additionalProperties</c>, <c>enum</c>,
/// <c>anyOf</c>/<c>oneOf</c>/<c>allOf</c>, integer and float formats, <c>minimum</c>/<c>maximum</c>,
/// <c>minLength</c>, <c>items</c>, <c>uniqueItems</c>.
/// </summary>
/// <remarks>
/// Strict about names: an object schema that lists its properties and says nothing about others admits no others, so
/// a misspelled field is an error (OpenAPI would let it through; Qdrant's typed parser mostly would not, or would
/// silently ignore what the store meant to say). A schema made only of <c>nullable: true</c> — how the document writes
/// "or null" in an <c>anyOf</c> — admits only null.
/// </remarks>
public sealed class JsonSchemaValidator(JsonElement components)
{
    private static readonly HashSet<string> Annotations = ["description", "default", "example", "deprecated", "title", "readOnly", "writeOnly"];

    /// <summary>Problems of <paramref name="value"/> against <paramref name="schema"/>, each with its JSON path; empty when valid.</summary>
    public List<string> Validate(JsonElement schema, JsonElement value)
    {
        var errors = new List<string>();
        Check(schema, value, "$", errors);
        return errors;
    }

    public JsonElement Resolve(string reference)
    {
        const string Prefix = "#/components/schemas/";
        if (!reference.StartsWith(Prefix, StringComparison.Ordinal) || !components.TryGetProperty(reference[Prefix.Length..], out var target))
        {
            throw new InvalidOperationException($"unresolvable $ref {reference}");
        }
        return target;
    }

    private void Check(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        if (schema.ValueKind == JsonValueKind.True)
        {
            return;
        }
        if (schema.TryGetProperty("$ref", out var reference))
        {
            Check(Resolve(reference.GetString()!), value, path, errors);
            return;
        }
        var nullable = schema.TryGetProperty("nullable", out var n) && n.GetBoolean();
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (!nullable && !AnyBranchAdmitsNull(schema))
            {
                errors.Add($"{path}: null is not allowed");
            }
            return;
        }
        if (nullable && schema.EnumerateObject().All(p => p.Name == "nullable" || Annotations.Contains(p.Name)))
        {
            errors.Add($"{path}: only null is allowed here, got {value.ValueKind}");
            return;
        }
        if (schema.TryGetProperty("allOf", out var allOf))
        {
            foreach (var part in allOf.EnumerateArray())
            {
                Check(part, value, path, errors);
            }
        }
        foreach (var keyword in new[] { "anyOf", "oneOf" })
        {
            if (schema.TryGetProperty(keyword, out var branches))
            {
                CheckBranches(keyword, branches, value, path, errors);
            }
        }
        if (schema.TryGetProperty("enum", out var options) && !options.EnumerateArray().Any(option => JsonElement.DeepEquals(option, value)))
        {
            errors.Add($"{path}: {value.GetRawText()} is not one of {options.GetRawText()}");
        }
        var type = schema.TryGetProperty("type", out var t) ? t.GetString() : schema.TryGetProperty("properties", out _) ? "object" : null;
        switch (type)
        {
            case "object":
                CheckObject(schema, value, path, errors);
                break;
            case "array":
                CheckArray(schema, value, path, errors);
                break;
            case "string":
                CheckString(schema, value, path, errors);
                break;
            case "integer":
            case "number":
                CheckNumber(schema, type, value, path, errors);
                break;
            case "boolean":
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    errors.Add($"{path}: expected a boolean, got {value.ValueKind}");
                }
                break;
            case null:
                break;
            default:
                throw new InvalidOperationException($"schema type '{type}' is not supported");
        }
    }

    private bool AnyBranchAdmitsNull(JsonElement schema)
    {
        foreach (var keyword in new[] { "anyOf", "oneOf" })
        {
            if (schema.TryGetProperty(keyword, out var branches)
                && branches.EnumerateArray().Any(branch => Validate(branch, NullValue).Count == 0))
            {
                return true;
            }
        }
        return false;
    }

    private static readonly JsonElement NullValue = JsonDocument.Parse("null").RootElement.Clone();

    private void CheckBranches(string keyword, JsonElement branches, JsonElement value, string path, List<string> errors)
    {
        var failures = new List<List<string>>();
        var matches = 0;
        foreach (var branch in branches.EnumerateArray())
        {
            var branchErrors = new List<string>();
            Check(branch, value, path, branchErrors);
            if (branchErrors.Count == 0)
            {
                matches++;
            }
            else
            {
                failures.Add(branchErrors);
            }
        }
        if (matches == 0)
        {
            // The branch that got furthest (fewest problems) explains the failure best.
            var closest = failures.OrderBy(f => f.Count).First();
            errors.Add($"{path}: matches none of the {keyword} branches; closest: {string.Join("; ", closest.Take(3))}");
        }
        else if (keyword == "oneOf" && matches > 1)
        {
            errors.Add($"{path}: matches {matches} oneOf branches, exactly one allowed");
        }
    }

    private void CheckObject(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path}: expected an object, got {value.ValueKind}");
            return;
        }
        var properties = schema.TryGetProperty("properties", out var p) ? p : default;
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
            {
                if (!value.TryGetProperty(name, out _))
                {
                    errors.Add($"{path}: required property '{name}' is missing");
                }
            }
        }
        var additional = schema.TryGetProperty("additionalProperties", out var a) ? a : default;
        foreach (var property in value.EnumerateObject())
        {
            var at = $"{path}.{property.Name}";
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out var propertySchema))
            {
                Check(propertySchema, property.Value, at, errors);
            }
            else if (additional.ValueKind == JsonValueKind.Object)
            {
                Check(additional, property.Value, at, errors);
            }
            else if (additional.ValueKind == JsonValueKind.False || additional.ValueKind == JsonValueKind.Undefined && properties.ValueKind == JsonValueKind.Object)
            {
                errors.Add($"{at}: unknown property '{property.Name}'");
            }
        }
    }

    private void CheckArray(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{path}: expected an array, got {value.ValueKind}");
            return;
        }
        if (schema.TryGetProperty("minItems", out var minItems) && value.GetArrayLength() < minItems.GetInt32())
        {
            errors.Add($"{path}: fewer than {minItems.GetInt32()} items");
        }
        if (schema.TryGetProperty("items", out var items))
        {
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                Check(items, item, $"{path}[{i++}]", errors);
            }
        }
        if (schema.TryGetProperty("uniqueItems", out var unique) && unique.GetBoolean())
        {
            var seen = value.EnumerateArray().Select(item => item.GetRawText()).ToList();
            if (seen.Distinct(StringComparer.Ordinal).Count() != seen.Count)
            {
                errors.Add($"{path}: items must be unique");
            }
        }
    }

    private static void CheckString(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add($"{path}: expected a string, got {value.ValueKind}");
            return;
        }
        var text = value.GetString()!;
        if (schema.TryGetProperty("minLength", out var minLength) && text.Length < minLength.GetInt32())
        {
            errors.Add($"{path}: shorter than {minLength.GetInt32()} characters");
        }
        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        var valid = format switch
        {
            "uuid" => Guid.TryParseExact(text, "D", out _),
            "date-time" => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            _ => true,
        };
        if (!valid)
        {
            errors.Add($"{path}: '{text}' is not a valid {format}");
        }
    }

    private static void CheckNumber(JsonElement schema, string type, JsonElement value, string path, List<string> errors)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            errors.Add($"{path}: expected {(type == "integer" ? "an integer" : "a number")}, got {value.ValueKind}");
            return;
        }
        var number = value.GetDouble();
        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        if (type == "integer")
        {
            if (!value.TryGetInt64(out var integer) && !value.TryGetUInt64(out _))
            {
                errors.Add($"{path}: {value.GetRawText()} is not an integer");
                return;
            }
            var (low, high) = format switch
            {
                "uint" or "uint64" => (0d, double.MaxValue),
                "uint32" => (0d, uint.MaxValue),
                "uint16" => (0d, ushort.MaxValue),
                "uint8" => (0d, byte.MaxValue),
                "int32" => (int.MinValue, int.MaxValue),
                _ => (double.MinValue, double.MaxValue),
            };
            if (integer < low || integer > high)
            {
                errors.Add($"{path}: {integer} is outside the {format} range");
            }
        }
        else if (format == "float" && Math.Abs(number) > float.MaxValue)
        {
            errors.Add($"{path}: {number} does not fit a float");
        }
        if (schema.TryGetProperty("minimum", out var minimum) && number < minimum.GetDouble())
        {
            errors.Add($"{path}: {number} is below the minimum {minimum.GetDouble()}");
        }
        if (schema.TryGetProperty("maximum", out var maximum) && number > maximum.GetDouble())
        {
            errors.Add($"{path}: {number} is above the maximum {maximum.GetDouble()}");
        }
    }
}

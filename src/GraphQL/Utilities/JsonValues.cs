using System.Text.Json;

namespace MusicSearch.GraphQL.Utilities;

/// <summary>
/// The plain CLR shape of JSON input values (variables, extensions): objects become ordered
/// <see cref="Dictionary{TKey,TValue}"/>s of string to value, arrays <c>object?[]</c>, numbers <see cref="double"/>
/// (JSON, like JavaScript, has one number type, so 1.0 is the integer 1), strings, booleans and null.
/// </summary>
public static class JsonValues
{
    public static object? ToClr(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Aggregate(
            new Dictionary<string, object?>(StringComparer.Ordinal),
            (fields, property) =>
            {
                fields[property.Name] = ToClr(property.Value);
                return fields;
            }),
        JsonValueKind.Array => element.EnumerateArray().Select(ToClr).ToArray(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    /// <summary>Whether <paramref name="value"/> is one of the CLR numeric types.</summary>
    public static bool IsNumber(object? value) =>
        value is int or long or double or float or decimal or short or byte or sbyte or ushort or uint or ulong;
}

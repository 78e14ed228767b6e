using System.Collections;
using System.Text;
using System.Text.Json;

namespace MusicSearch.GraphQL.Utilities;

/// <summary>
/// Renders a runtime value for an error message the way graphql-js's <c>inspect</c> does: strings JSON-quoted,
/// numbers as JavaScript prints them, lists as <c>[1, 2]</c>, objects as <c>{ a: 1 }</c>, nesting cut at depth 2.
/// </summary>
public static class Inspect
{
    private const int MaxListLength = 10;
    private const int MaxDepth = 2;

    public static string Value(object? value)
    {
        var text = new StringBuilder();
        Write(text, value, 0);
        return text.ToString();
    }

    private static void Write(StringBuilder text, object? value, int depth)
    {
        switch (value)
        {
            case null:
                text.Append("null");
                break;
            case string s:
                text.Append(JsonSerializer.Serialize(s));
                break;
            case bool b:
                text.Append(b ? "true" : "false");
                break;
            case JsonElement element:
                Write(text, JsonValues.ToClr(element), depth);
                break;
            case Enum enumValue:
                text.Append(JsonSerializer.Serialize(enumValue.ToString()));
                break;
            case IEnumerable<KeyValuePair<string, object?>> fields:
                WriteObject(text, fields.ToList(), depth);
                break;
            case IEnumerable items and not string:
                WriteList(text, items.Cast<object?>().ToList(), depth);
                break;
            default:
                text.Append(JsonValues.IsNumber(value) ? JsNumber.Format(Convert.ToDouble(value, null)) : value.ToString());
                break;
        }
    }

    private static void WriteObject(StringBuilder text, List<KeyValuePair<string, object?>> fields, int depth)
    {
        if (fields.Count == 0)
        {
            text.Append("{}");
            return;
        }

        if (depth >= MaxDepth)
        {
            text.Append("[Object]");
            return;
        }

        text.Append("{ ");
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            text.Append(fields[i].Key).Append(": ");
            Write(text, fields[i].Value, depth + 1);
        }

        text.Append(" }");
    }

    private static void WriteList(StringBuilder text, List<object?> items, int depth)
    {
        if (items.Count == 0)
        {
            text.Append("[]");
            return;
        }

        if (depth >= MaxDepth)
        {
            text.Append("[Array]");
            return;
        }

        text.Append('[');
        var shown = Math.Min(MaxListLength, items.Count);
        for (var i = 0; i < shown; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            Write(text, items[i], depth + 1);
        }

        var remaining = items.Count - shown;
        if (remaining > 0)
        {
            text.Append(remaining == 1 ? ", ... 1 more item" : $", ... {remaining} more items");
        }

        text.Append(']');
    }
}

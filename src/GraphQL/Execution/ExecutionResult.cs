using System.Collections;
using System.Text;
using System.Text.Json;
using MusicSearch.GraphQL.Utilities;

namespace MusicSearch.GraphQL.Execution;

/// <summary>
/// The response to a request (spec 7.1): <c>errors</c> if any, then <c>data</c> if execution started (possibly null,
/// when an error reached the root), then <c>extensions</c>. <see cref="WriteTo"/> writes it as JSON in that order.
/// </summary>
public sealed class ExecutionResult
{
    private ExecutionResult(IReadOnlyList<GraphQLError> errors, bool hasData, ResultObject? data)
    {
        Errors = errors;
        HasData = hasData;
        Data = data;
    }

    public IReadOnlyList<GraphQLError> Errors { get; }

    /// <summary>False when the request failed before execution (syntax, validation, variables): then there is no <c>data</c> entry at all.</summary>
    public bool HasData { get; }

    public ResultObject? Data { get; }

    /// <summary>Entries for the response's <c>extensions</c>, set by the transport (tracing, cost); null for none.</summary>
    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }

    /// <summary>A request that failed before execution, so without data.</summary>
    public static ExecutionResult Failed(IReadOnlyList<GraphQLError> errors) => new(errors, hasData: false, data: null);

    public static ExecutionResult Executed(ResultObject? data, IReadOnlyList<GraphQLError> errors) => new(errors, hasData: true, data);

    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        if (Errors.Count > 0)
        {
            writer.WritePropertyName("errors");
            writer.WriteStartArray();
            foreach (var error in Errors)
            {
                WriteError(writer, error);
            }

            writer.WriteEndArray();
        }

        if (HasData)
        {
            writer.WritePropertyName("data");
            WriteValue(writer, Data);
        }

        if (Extensions is not null)
        {
            writer.WritePropertyName("extensions");
            WriteValue(writer, Extensions);
        }

        writer.WriteEndObject();
    }

    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteError(Utf8JsonWriter writer, GraphQLError error)
    {
        writer.WriteStartObject();
        writer.WriteString("message", error.Message);
        if (error.Locations is { } locations)
        {
            writer.WritePropertyName("locations");
            writer.WriteStartArray();
            foreach (var location in locations)
            {
                writer.WriteStartObject();
                writer.WriteNumber("line", location.Line);
                writer.WriteNumber("column", location.Column);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        if (error.Path is { } path)
        {
            writer.WritePropertyName("path");
            WriteValue(writer, path);
        }

        if (error.Extensions is { } extensions)
        {
            writer.WritePropertyName("extensions");
            WriteValue(writer, extensions);
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes a completed value: what scalars serialize to, lists, result objects, and plain dictionaries.</summary>
    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool boolean:
                writer.WriteBooleanValue(boolean);
                break;
            case int integer:
                writer.WriteNumberValue(integer);
                break;
            case long integer:
                writer.WriteNumberValue(integer);
                break;
            case double number:
                writer.WriteNumberValue(number);
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case JsonElement element:
                element.WriteTo(writer);
                break;
            case ResultObject result:
                writer.WriteStartObject();
                for (var i = 0; i < result.Keys.Count; i++)
                {
                    if (!result.IsOmitted(i))
                    {
                        writer.WritePropertyName(result.Keys[i]);
                        WriteValue(writer, result[i]);
                    }
                }

                writer.WriteEndObject();
                break;
            case IEnumerable<KeyValuePair<string, object?>> fields:
                writer.WriteStartObject();
                foreach (var (key, fieldValue) in fields)
                {
                    writer.WritePropertyName(key);
                    WriteValue(writer, fieldValue);
                }

                writer.WriteEndObject();
                break;
            case IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                if (JsonValues.IsNumber(value))
                {
                    writer.WriteNumberValue(Convert.ToDouble(value, null));
                }
                else
                {
                    writer.WriteStringValue(value.ToString());
                }

                break;
        }
    }
}

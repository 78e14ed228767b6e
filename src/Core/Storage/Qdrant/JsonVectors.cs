using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MusicSearch.Core.Storage.Qdrant;

/// <summary>Vectors to and from JSON without one node per number (a window batch holds tens of thousands of them).</summary>
internal static class JsonVectors
{
    public static JsonNode Node(ReadOnlySpan<float> vector)
    {
        var buffer = new ArrayBufferWriter<byte>((vector.Length * 12) + 2);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in vector)
            {
                writer.WriteNumberValue(value);
            }
            writer.WriteEndArray();
        }
        // A parsed array keeps the written bytes until someone looks inside: no node per number.
        return JsonNode.Parse(buffer.WrittenSpan)!;
    }

    /// <summary>A unit vector in the same direction (what Qdrant stores for cosine), as a node.</summary>
    public static JsonNode UnitNode(float[] vector)
    {
        var norm = Math.Sqrt(vector.Sum(value => (double)value * value));
        if (!(norm > 0) || !double.IsFinite(norm))
        {
            throw new ArgumentException("query vectors must be finite and not all zero");
        }
        var unit = new float[vector.Length];
        for (var i = 0; i < vector.Length; i++)
        {
            unit[i] = (float)(vector[i] / norm);
        }
        return Node(unit);
    }

    public static float[] Read(JsonElement array)
    {
        var vector = new float[array.GetArrayLength()];
        var i = 0;
        foreach (var value in array.EnumerateArray())
        {
            vector[i++] = value.GetSingle();
        }
        return vector;
    }

    /// <summary>The named vector of a returned point, or null when the point has none by that name.</summary>
    public static float[]? Named(JsonElement point, string name) =>
        point.TryGetProperty("vector", out var vectors) && vectors.ValueKind == JsonValueKind.Object
        && vectors.TryGetProperty(name, out var vector) && vector.ValueKind == JsonValueKind.Array
            ? Read(vector)
            : null;
}

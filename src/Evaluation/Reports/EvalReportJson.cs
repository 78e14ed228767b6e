using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Json.Serialization;

namespace MusicSearch.Evaluation.Reports;

/// <summary>Reads and writes <see cref="EvalReport"/> as indented snake_case JSON, NaN as null.</summary>
public static partial class EvalReportJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = new MetricNames(),
        WriteIndented = true,
        Converters = { new NullForNaN() },
    };

    public static string Write(EvalReport report) => JsonSerializer.Serialize(report, Options) + "\n";

    /// <exception cref="JsonException">Not a report, or of another schema.</exception>
    public static EvalReport Read(string json)
    {
        var report = JsonSerializer.Deserialize<EvalReport>(json, Options) ?? throw new JsonException("the document is null, not an evaluation report");
        return report.Schema == EvalReport.CurrentSchema
            ? report
            : throw new JsonException($"schema '{report.Schema}' is not '{EvalReport.CurrentSchema}'");
    }

    /// <summary>snake_case with the cut-off set apart: <c>MapAt100</c> → <c>map_at_100</c> (plain snake_case gives <c>map_at100</c>).</summary>
    private sealed partial class MetricNames : JsonNamingPolicy
    {
        public override string ConvertName(string name) => CutOff().Replace(SnakeCaseLower.ConvertName(name), "_");

        [GeneratedRegex("(?<=_at)(?=[0-9])")]
        private static partial Regex CutOff();
    }

    /// <summary>A metric with no queries behind it is NaN in memory and null in the file, which any JSON reader accepts.</summary>
    private sealed class NullForNaN : JsonConverter<double>
    {
        public override bool HandleNull => true;

        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value))
            {
                writer.WriteNumberValue(value);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }
}

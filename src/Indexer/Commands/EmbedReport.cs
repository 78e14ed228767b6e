using System.Text.Json;
using MusicSearch.Inference.Embedding;
using Spectre.Console;

namespace MusicSearch.Indexer.Commands;

/// <summary>One <c>embed</c> run: the embedding and the time each stage took.</summary>
internal sealed record EmbedResult(
    string Path, TrackEmbedding Embedding, TimeSpan Load, TimeSpan Decode, TimeSpan Embed, long ForwardPasses, long WorkspacePeakBytes)
{
    public double WindowsPerSecond => Embedding.Windows.Count / Math.Max(Embed.TotalSeconds, 1e-9);

    public double Norm => Math.Sqrt(Embedding.Vector.Sum(v => (double)v * v));
}

/// <summary>How <c>embed</c> prints a result: a table for people, JSON (with the vector) for scripts.</summary>
internal static class EmbedReport
{
    private const int OffsetsShown = 12;

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public static void WriteTable(IAnsiConsole console, EmbedResult result)
    {
        var embedding = result.Embedding;
        var windows = embedding.Windows;
        var offsets = string.Join(", ", windows.Take(OffsetsShown).Select(w => $"{w.StartSeconds:0.###}"))
            + (windows.Count > OffsetsShown ? $", … ({windows.Count - OffsetsShown} more)" : "");
        var table = new Table().AddColumn("field").AddColumn("value");
        table.AddRow("file", Markup.Escape(result.Path));
        table.AddRow("model", Markup.Escape(embedding.ModelVersion));
        table.AddRow("layer", embedding.Layer.ToString());
        table.AddRow("dimensions", embedding.Vector.Length.ToString());
        table.AddRow("duration", $"{embedding.DurationSeconds:F3} s");
        table.AddRow("windows", $"{windows.Count} ({result.ForwardPasses} forward passes)");
        table.AddRow("window offsets", $"{offsets} s");
        table.AddRow("vector norm", $"{result.Norm:F6}");
        table.AddRow("load", $"{result.Load.TotalSeconds:F3} s");
        table.AddRow("decode", $"{result.Decode.TotalSeconds:F3} s");
        table.AddRow("embed", $"{result.Embed.TotalSeconds:F3} s ({result.WindowsPerSecond:F2} windows/s, workspace {result.WorkspacePeakBytes / 1048576.0:F0} MiB)");
        console.Write(table);
    }

    public static string ToJson(EmbedResult result)
    {
        var embedding = result.Embedding;
        return JsonSerializer.Serialize(new
        {
            result.Path,
            embedding.ModelVersion,
            embedding.Layer,
            Dimensions = embedding.Vector.Length,
            embedding.DurationSeconds,
            Windows = embedding.Windows.Select(w => new { w.StartSeconds, w.DurationSeconds }),
            result.Norm,
            Timing = new
            {
                LoadSeconds = result.Load.TotalSeconds,
                DecodeSeconds = result.Decode.TotalSeconds,
                EmbedSeconds = result.Embed.TotalSeconds,
                result.WindowsPerSecond,
                result.ForwardPasses,
            },
            embedding.Vector,
        }, Json);
    }
}

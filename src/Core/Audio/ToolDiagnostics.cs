using System.Buffers;
using System.Globalization;

namespace MusicSearch.Core.Audio;

/// <summary>
/// Everything an ffmpeg tool wrote to stderr, read while it runs (a full pipe would stall it): an excerpt of its
/// messages for error reports, and the two facts we act on, how far ffmpeg's output got and whether ffprobe had to
/// guess the duration.
/// </summary>
internal sealed class ToolDiagnostics
{
    private const int ExcerptLineCount = 20;
    private const int ExcerptLineLength = 300;
    private const string ProgressReachKey = "out_time_us";
    private const string DurationGuessWarning = "Estimating duration from bitrate";

    private static readonly SearchValues<char> ProgressKeyCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789_");

    private readonly List<string> _excerpt = [];

    /// <summary>How many message lines the tool wrote, progress reports not counted.</summary>
    public int MessageCount { get; private set; }

    /// <summary>The end of ffmpeg's output timeline at its last progress report; null if it never reported one.</summary>
    public TimeSpan? OutputReach { get; private set; }

    public bool DurationWasGuessed { get; private set; }

    public string Excerpt
    {
        get
        {
            var excerpt = string.Join(Environment.NewLine, _excerpt);
            var omitted = MessageCount - _excerpt.Count;
            return omitted > 0 ? $"{excerpt}{Environment.NewLine}... ({omitted} more lines)" : excerpt;
        }
    }

    /// <summary>Reads until the tool closes stderr, which it does on exit or when killed.</summary>
    public static async Task<ToolDiagnostics> CollectAsync(TextReader standardError)
    {
        var diagnostics = new ToolDiagnostics();
        while (await standardError.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            diagnostics.Add(line);
        }

        return diagnostics;
    }

    private void Add(string line)
    {
        if (string.IsNullOrWhiteSpace(line) || TryReadProgress(line))
        {
            return;
        }

        DurationWasGuessed |= line.Contains(DurationGuessWarning, StringComparison.Ordinal);
        MessageCount++;
        if (_excerpt.Count < ExcerptLineCount)
        {
            _excerpt.Add(line.Length > ExcerptLineLength ? line[..ExcerptLineLength] + "..." : line);
        }
    }

    // Progress reports are "key=value" lines with lower-case keys; log messages never start that way.
    private bool TryReadProgress(string line)
    {
        var separator = line.IndexOf('=');
        if (separator <= 0 || line.AsSpan(0, separator).ContainsAnyExcept(ProgressKeyCharacters))
        {
            return false;
        }

        if (line.AsSpan(0, separator).SequenceEqual(ProgressReachKey)
            && long.TryParse(line.AsSpan(separator + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var microseconds))
        {
            OutputReach = TimeSpan.FromMicroseconds(microseconds);
        }

        return true;
    }
}

using System.Globalization;

namespace MusicSearch.Core.Tests.Audio.Support;

/// <summary>The ffmpeg tools currently running (or dead but unreaped) as children of this test process.</summary>
internal static class ChildProcesses
{
    public static IReadOnlyList<string> FfmpegTools() =>
        Directory.EnumerateDirectories("/proc")
            .Where(directory => int.TryParse(Path.GetFileName(directory), CultureInfo.InvariantCulture, out _))
            .Select(directory => ReadStat(Path.Combine(directory, "stat")))
            .Where(stat => stat is { } s && s.ParentId == Environment.ProcessId && s.Name is "ffmpeg" or "ffprobe")
            .Select(stat => $"{stat!.Value.Name} ({stat.Value.State})")
            .ToList();

    // /proc/<pid>/stat reads "pid (comm) state ppid ..."; comm may itself hold spaces or parentheses.
    private static (string Name, string State, int ParentId)? ReadStat(string path)
    {
        try
        {
            var stat = File.ReadAllText(path);
            var nameStart = stat.IndexOf('(', StringComparison.Ordinal) + 1;
            var nameEnd = stat.LastIndexOf(')');
            var fields = stat[(nameEnd + 2)..].Split(' ');
            return (stat[nameStart..nameEnd], fields[0], int.Parse(fields[1], CultureInfo.InvariantCulture));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The process ended while we looked.
            return null;
        }
    }
}

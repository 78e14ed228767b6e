using Spectre.Console;

namespace MusicSearch.Indexer.Commands;

internal static class CliConsole
{
    /// <summary>A Spectre console over the command's writer, so output can be captured (tests, pipes).</summary>
    public static IAnsiConsole For(TextWriter output) => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
}

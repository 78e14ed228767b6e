using Spectre.Console;

namespace MusicSearch.Indexer.Commands;

internal static class CliConsole
{
    /// <summary>
    /// A Spectre console over the command's writer, so output can be captured (tests, pipes). Colours only on a
    /// real terminal; captured or piped output is plain text, wide enough for the tables.
    /// </summary>
    public static IAnsiConsole For(TextWriter output)
    {
        var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (!terminal)
        {
            console.Profile.Width = 160;
        }
        return console;
    }
}

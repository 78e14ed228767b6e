namespace MusicSearch.Indexer.Tests;

/// <summary>Runs the operator CLI in-process, capturing what it prints.</summary>
internal static class Cli
{
    public static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await Program.BuildCommandLine(output, error).Parse(args).InvokeAsync();
        return (exit, output.ToString(), error.ToString());
    }
}

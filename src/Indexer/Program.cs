using System.CommandLine;
using MusicSearch.Indexer.Commands;
using MusicSearch.Indexer.Commands.Eval;

namespace MusicSearch.Indexer;

/// <summary>The operator CLI (<c>musicsearch</c>): one subcommand per operator task.</summary>
public static class Program
{
    // No termination handling here: the worker's host handles SIGTERM and Ctrl+C itself, and waits for its batches.
    public static Task<int> Main(string[] args) =>
        BuildCommandLine(Console.Out, Console.Error).Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

    public static RootCommand BuildCommandLine(TextWriter output, TextWriter error)
    {
        var root = new RootCommand("MusicSearch operator CLI: inspect model packages and audio, index and search the catalog.");
        root.Subcommands.Add(PackageCommands.Create(output, error));
        root.Subcommands.Add(AudioCommands.Create(output, error));
        root.Subcommands.Add(BenchCommand.Create(output, error));
        root.Subcommands.Add(EmbedCommand.Create(output, error));
        root.Subcommands.Add(IndexCommand.Create(output, error));
        root.Subcommands.Add(SearchCommand.Create(output, error));
        root.Subcommands.Add(StatusCommand.Create(output, error));
        root.Subcommands.Add(RemoveCommand.Create(output, error));
        root.Subcommands.Add(NeighboursCommand.Create(output, error));
        root.Subcommands.Add(EvalCommand.Create(output, error));
        root.Subcommands.Add(WorkerCommand.Create(error));
        return root;
    }
}

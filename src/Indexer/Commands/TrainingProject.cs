using System.Diagnostics;
using System.Text.Json;

namespace MusicSearch.Indexer.Commands;

/// <summary>Where the Python reference lives: <c>MUSICSEARCH_TRAINING_DIR</c>, or <c>src/Training</c> above the working directory or the binary.</summary>
internal static class TrainingProject
{
    public static string Python => Environment.GetEnvironmentVariable("MUSICSEARCH_PYTHON") ?? "/usr/bin/python3";

    public static string Directory =>
        Environment.GetEnvironmentVariable("MUSICSEARCH_TRAINING_DIR")
        ?? Find(Environment.CurrentDirectory) ?? Find(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("src/Training not found; set MUSICSEARCH_TRAINING_DIR to the training project.");

    /// <summary>
    /// Runs <c>python3 -m <paramref name="module"/></c> of the training project with Debian's interpreter and parses the one
    /// JSON object it prints. A failure is an <see cref="InvalidOperationException"/> carrying the module's stderr.
    /// </summary>
    public static async Task<JsonDocument> RunModuleAsync(string module, string description, IEnumerable<string> arguments,
        CancellationToken cancellationToken)
    {
        var training = Directory;
        var start = new ProcessStartInfo(Python)
        {
            WorkingDirectory = training,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-m");
        start.ArgumentList.Add(module);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["PYTHONPATH"] = training;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Python}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{description} failed ({process.ExitCode}): {await stderr}");
        }
        return JsonDocument.Parse(await stdout);
    }

    private static string? Find(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "src", "Training", "musicsearch_training");
            if (System.IO.Directory.Exists(candidate))
            {
                return Path.GetDirectoryName(candidate);
            }
        }
        return null;
    }
}

using System.Diagnostics;

namespace MusicSearch.Inference.Tests;

/// <summary>Runs modules of the Python reference (src/Training) with Debian's interpreter.</summary>
internal static class PythonReference
{
    public static async Task<string> RunModuleAsync(string module, params string[] arguments)
    {
        var start = new ProcessStartInfo(RepositoryPaths.Python)
        {
            WorkingDirectory = RepositoryPaths.TrainingDirectory,
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
        start.Environment["PYTHONPATH"] = RepositoryPaths.TrainingDirectory;
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"python3 -m {module} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}");
        }
        return await output;
    }
}

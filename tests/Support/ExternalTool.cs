using System.Diagnostics;

namespace MusicSearch.Testing;

/// <summary>Runs a command-line tool (ffmpeg, the Python reference) to prepare or check test data, failing loudly.</summary>
public static class ExternalTool
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    /// <returns>The tool's standard output.</returns>
    public static async Task<string> RunAsync(string executable, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        using var process = Process.Start(startInfo)!;
        process.StandardInput.Close();
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{executable} {string.Join(' ', startInfo.ArgumentList)} did not finish within {Limit}.");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{executable} {string.Join(' ', startInfo.ArgumentList)} exited with {process.ExitCode}: {await standardError}");
        }
        return await standardOutput;
    }

    /// <summary>Runs <c>python3 -m module</c> from the training project with Debian's interpreter.</summary>
    public static Task<string> RunPythonModuleAsync(string module, params IEnumerable<string> arguments) =>
        RunAsync(RepositoryPaths.Python, ["-m", module, .. arguments], RepositoryPaths.TrainingDirectory,
            new Dictionary<string, string> { ["PYTHONPATH"] = RepositoryPaths.TrainingDirectory, ["PYTHONDONTWRITEBYTECODE"] = "1" });
}

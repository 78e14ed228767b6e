using System.Diagnostics;
using System.Globalization;

namespace MusicSearch.Core.Tests.Storage.Embedded;

/// <summary>The StoreCrashWriter child process: started on a store directory, read line by line, killed with SIGKILL.</summary>
internal sealed class WriterProcess : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly List<string> _lines = [];

    private WriterProcess(Process process) => _process = process;

    /// <summary>The number in the last <c>ack N</c> line read so far: batches the writer reported durable.</summary>
    public int Acknowledged { get; private set; }

    public IReadOnlyList<string> Lines => _lines;

    public static WriterProcess Start(params string[] arguments)
    {
        // Under `dotnet test` the SDK names its own host; elsewhere `dotnet` is on PATH.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var startInfo = new ProcessStartInfo(host)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MusicSearch.StoreCrashWriter.dll"));
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        return new WriterProcess(Process.Start(startInfo)!);
    }

    /// <summary>Reads output until <paramref name="batches"/> batches are acknowledged.</summary>
    public async Task WaitForAcknowledgedAsync(int batches)
    {
        using var timeout = new CancellationTokenSource(Limit);
        while (Acknowledged < batches)
        {
            if (!await ReadLineAsync(timeout.Token))
            {
                throw new InvalidOperationException($"the writer ended after {Acknowledged} batches: {await _process.StandardError.ReadToEndAsync()}");
            }
        }
    }

    /// <summary>SIGKILL, then the rest of what it printed before it died.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await ReadToExitAsync();
    }

    /// <summary>Reads everything until the process ends by itself; returns its exit code.</summary>
    public async Task<int> ReadToExitAsync()
    {
        using var timeout = new CancellationTokenSource(Limit);
        while (await ReadLineAsync(timeout.Token))
        {
        }
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }
        _process.Dispose();
    }

    private async Task<bool> ReadLineAsync(CancellationToken cancellationToken)
    {
        if (await _process.StandardOutput.ReadLineAsync(cancellationToken) is not { } line)
        {
            return false;
        }
        _lines.Add(line);
        if (line.StartsWith("ack ", StringComparison.Ordinal))
        {
            Acknowledged = int.Parse(line[4..], CultureInfo.InvariantCulture);
        }
        return true;
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MusicSearch.Indexer.Commands.Bench.Api;

/// <summary>
/// The Api as its own process (the build in <c>src/Api/bin/Release</c>) on a free loopback port, over a given store,
/// with anonymous reads and no rate limit so the load generator measures the work and nothing else. Stopped (the whole
/// process tree) on dispose.
/// </summary>
internal sealed class ApiServer : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(3);
    private readonly Process _process;
    private readonly Queue<string> _tail = new();

    private ApiServer(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>CPU time the Api process has used so far, all threads.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>The folder of <c>MusicSearch.Api.dll</c>: <c>MUSICSEARCH_API_DIR</c>, or the Release build above the working directory.</summary>
    public static string BuildDirectory =>
        Environment.GetEnvironmentVariable("MUSICSEARCH_API_DIR") ?? Find(Environment.CurrentDirectory) ?? Find(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("src/Api/bin/Release/net10.0/MusicSearch.Api.dll not found: run `dotnet build src/Api -c Release` "
            + "or set MUSICSEARCH_API_DIR");

    public static async Task<ApiServer> StartAsync(string store, string package, IEnumerable<string> settings, CancellationToken cancellationToken)
    {
        var build = BuildDirectory;
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        string[] arguments =
        [
            Path.Combine(build, "MusicSearch.Api.dll"), "--contentRoot", build, "--urls", address.ToString().TrimEnd('/'),
            $"--Store:Directory={store}", $"--Model:Package={package}", $"--Audio:Sources:LibraryRoots:0={store}",
            "--Auth:AllowAnonymousRead=true", $"--RateLimit:AnonymousPermitLimit={int.MaxValue}",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.AspNetCore=Warning",
            .. settings,
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var server = new ApiServer(process, address);
        process.OutputDataReceived += (_, line) => server.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => server.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartLimit)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the Api exited with {_process.ExitCode}: {Tail()}");
            }
            try
            {
                using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // Not listening yet, or the first readiness check (ffmpeg, opening the store) outlasted the request.
            }
            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        }
        throw new InvalidOperationException($"the Api was not ready within {StartLimit.TotalSeconds:0} s: {Tail()}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_tail)
        {
            _tail.Enqueue(line);
            if (_tail.Count > 20)
            {
                _tail.Dequeue();
            }
        }
    }

    private string Tail()
    {
        lock (_tail)
        {
            return string.Join('\n', _tail);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? Find(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "src", "Api", "bin", "Release", "net10.0");
            if (File.Exists(Path.Combine(candidate, "MusicSearch.Api.dll")))
            {
                return candidate;
            }
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
        _process.Dispose();
    }
}

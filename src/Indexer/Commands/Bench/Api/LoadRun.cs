using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace MusicSearch.Indexer.Commands.Bench.Api;

/// <summary>
/// What one load run measured: latency percentiles (ms), throughput, answers that were not 2xx, and the server's CPU
/// time per request — the cost of the work itself, which other load on the machine delays but does not inflate.
/// </summary>
internal sealed record LoadResult(string Endpoint, int Clients, double P50Ms, double P75Ms, double P90Ms, double P99Ms, double RequestsPerSecond, long Requests,
    long Failures, double LoadAverage)
{
    public double ServerCpuMsPerRequest { get; init; } = double.NaN;

    /// <summary>
    /// Two runs of equal length as one: counts and CPU time add up, rates and percentiles are averaged weighted by
    /// requests (an approximation for the percentiles: wrk reports no raw samples).
    /// </summary>
    public LoadResult Pool(LoadResult other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var requests = Requests + other.Requests;
        double Weighted(double mine, double theirs) => requests == 0 ? (mine + theirs) / 2 : (mine * Requests + theirs * other.Requests) / requests;
        return new LoadResult(Endpoint, Clients, Weighted(P50Ms, other.P50Ms), Weighted(P75Ms, other.P75Ms), Weighted(P90Ms, other.P90Ms),
            Weighted(P99Ms, other.P99Ms), (RequestsPerSecond + other.RequestsPerSecond) / 2, requests, Failures + other.Failures, (LoadAverage + other.LoadAverage) / 2)
        {
            ServerCpuMsPerRequest = Weighted(ServerCpuMsPerRequest, other.ServerCpuMsPerRequest),
        };
    }
}

/// <summary>
/// One closed-loop load run with Debian's <c>wrk</c>: <c>clients</c> connections, each sending its next request when
/// the last one was answered, for a fixed time, on loopback. The request of each endpoint comes from a Lua script that
/// picks a random seed track per request (seeded per wrk thread, so runs repeat).
/// </summary>
internal static partial class LoadRun
{
    /// <param name="wrk">The wrk executable.</param>
    /// <param name="server">The Api's address.</param>
    /// <param name="endpoint">What each request asks.</param>
    /// <param name="clients">Connections, each with one request in flight.</param>
    /// <param name="duration">Length of the run.</param>
    /// <param name="scriptDirectory">Where the Lua script is written.</param>
    /// <param name="serverCpu">Reads the server process's CPU time so far.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public static async Task<LoadResult> RunAsync(string wrk, Uri server, BenchEndpoint endpoint, int clients, TimeSpan duration, string scriptDirectory,
        Func<TimeSpan> serverCpu, CancellationToken cancellationToken)
    {
        var script = Path.Combine(scriptDirectory, endpoint.Name + ".lua");
        await File.WriteAllTextAsync(script, endpoint.Script, cancellationToken).ConfigureAwait(false);
        var threads = Math.Min(clients, Environment.ProcessorCount);
        var start = new ProcessStartInfo(wrk)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            "-t", $"{threads}", "-c", $"{clients}", "-d", $"{Math.Max(1, (int)duration.TotalSeconds)}s", "--timeout", "5s", "--latency", "-s", script,
            server.ToString().TrimEnd('/') + endpoint.Path,
        })
        {
            start.ArgumentList.Add(argument);
        }
        var cpuBefore = serverCpu();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {wrk}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using (var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            // wrk stops itself after the duration; this bound only guards against a hung run.
            limit.CancelAfter(duration + TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"wrk did not finish within {duration.TotalSeconds + 30:0} s");
            }
        }
        var cpu = serverCpu() - cpuBefore;
        var text = await output.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk failed ({process.ExitCode}): {await error.ConfigureAwait(false)}{text}");
        }
        var result = Parse(text, endpoint.Name, clients, LoadAverage());
        return result with { ServerCpuMsPerRequest = cpu.TotalMilliseconds / Math.Max(1, result.Requests) };
    }

    /// <summary>Reads wrk's report: the <c>--latency</c> distribution, the request count, non-2xx answers and socket errors, and Requests/sec.</summary>
    internal static LoadResult Parse(string text, string endpoint, int clients, double loadAverage)
    {
        double Percentile(string percent) => Milliseconds(Match(text, $@"^\s*{percent}%\s+([\d.]+)(us|ms|s)\s*$", "latency percentile " + percent));
        var requests = long.Parse(Match(text, @"^\s*(\d+) requests in ", "request count").Groups[1].Value, CultureInfo.InvariantCulture);
        var failures = NonSuccess().Match(text) is { Success: true } non2xx ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        if (SocketErrors().Match(text) is { Success: true } socket)
        {
            failures += socket.Groups[1].Value.Split(',').Sum(part => long.Parse(part.Trim().Split(' ')[1], CultureInfo.InvariantCulture));
        }
        var perSecond = double.Parse(Match(text, @"^Requests/sec:\s+([\d.]+)", "Requests/sec").Groups[1].Value, CultureInfo.InvariantCulture);
        return new LoadResult(endpoint, clients, Percentile("50"), Percentile("75"), Percentile("90"), Percentile("99"), perSecond, requests, failures, loadAverage);
    }

    private static Match Match(string text, string pattern, string what)
    {
        var match = Regex.Match(text, pattern, RegexOptions.Multiline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return match.Success ? match : throw new InvalidOperationException($"wrk's report has no {what}:\n{text}");
    }

    private static double Milliseconds(Match match)
    {
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "us" => value / 1000,
            "s" => value * 1000,
            _ => value,
        };
    }

    /// <summary>The 1-minute load average, to read the numbers against what else the machine was doing.</summary>
    private static double LoadAverage() =>
        File.Exists("/proc/loadavg") && double.TryParse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture, out var load) ? load : double.NaN;

    [GeneratedRegex(@"^\s*Non-2xx or 3xx responses:\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"^\s*Socket errors:\s+(.+)$", RegexOptions.Multiline)]
    private static partial Regex SocketErrors();
}

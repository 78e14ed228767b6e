using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Xunit;

namespace MusicSearch.Testing;

/// <summary>
/// A private RabbitMQ node run as a local process (Debian's <c>rabbitmq-server</c>, installed by
/// scripts/install-prereqs.sh): its own AMQP, distribution and epmd ports, node name, Erlang cookie, data and
/// log folders, and a virtual host plus a user with a random password. Those are created on first boot from the
/// node's config file rather than with <c>rabbitmqctl</c>, each call of which costs 1–2 s of CPU.
/// Starting takes about 10 s, so share one instance per test collection (xunit collection or class fixture)
/// and keep tests apart by queue and message names. <see cref="StopAsync"/> then <see cref="StartAsync"/>
/// restarts the node on the same port and data, for durability tests. Disposal ends every process it started.
/// </summary>
public sealed class RabbitMqBroker : IAsyncLifetime, IAsyncDisposable
{
    // Debian's /usr/sbin/rabbitmq-server switches to the rabbitmq user when called by root; the script
    // behind it runs the node as the caller, in the foreground, and forwards SIGTERM to it.
    private const string ServerScript = "/usr/lib/rabbitmq/bin/rabbitmq-server";

    // The foreground node prints this once boot has finished: listeners up, default vhost and user created.
    private const string ReadyBanner = "Starting broker... completed";

    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan EpmdLimit = TimeSpan.FromSeconds(10);
    private static int instanceCount;

    private readonly TemporaryDirectory directory = new();
    private readonly ProcessOutputTail output = new(capacity: 60);
    private readonly int distributionPort;
    private readonly int epmdPort;
    private Process? epmd;
    private Process? server;
    private bool disposed;

    public RabbitMqBroker()
    {
        var ports = FreeLoopbackPorts(3);
        Port = ports[0];
        distributionPort = ports[1];
        epmdPort = ports[2];
        var instance = Interlocked.Increment(ref instanceCount);
        NodeName = $"mstest-{Environment.ProcessId}-{instance}@localhost";
        VirtualHost = $"musicsearch-{instance}";
        Username = $"test-{instance}";
        Password = RandomNumberGenerator.GetHexString(24, lowercase: true);
        foreach (var folder in new[] { "home", "mnesia", "log" })
        {
            Directory.CreateDirectory(directory.File(folder));
        }
        File.WriteAllText(directory.File("rabbitmq.conf"), $"""
            listeners.tcp.1 = {Host}:{Port}
            default_vhost = {VirtualHost}
            default_user = {Username}
            default_pass = {Password}
            default_permissions.configure = .*
            default_permissions.read = .*
            default_permissions.write = .*

            """);
        File.WriteAllText(directory.File("enabled_plugins"), "[].\n");
        File.WriteAllText(directory.File("rabbitmq-env.conf"), "");
    }

    public string Host { get; } = "127.0.0.1";

    public int Port { get; }

    public string VirtualHost { get; }

    public string Username { get; }

    public string Password { get; }

    /// <summary>Erlang node name, unique per test process and instance.</summary>
    public string NodeName { get; }

    public Uri ConnectionUri => new(
        $"amqp://{Uri.EscapeDataString(Username)}:{Uri.EscapeDataString(Password)}@{Host}:{Port}/{Uri.EscapeDataString(VirtualHost)}");

    /// <summary>The node's log file, appended to across restarts and deleted on dispose.</summary>
    public string LogFile => directory.File(Path.Combine("log", NodeName + ".log"));

    /// <summary>Starts the node (and the first time its epmd) and returns once it accepts AMQP connections.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (server is not null)
        {
            throw new InvalidOperationException($"RabbitMQ node {NodeName} is already running.");
        }
        if (!File.Exists(ServerScript))
        {
            throw new InvalidOperationException($"{ServerScript} not found: install rabbitmq-server (scripts/install-prereqs.sh).");
        }
        if (epmd is null)
        {
            AppDomain.CurrentDomain.ProcessExit += KillOnProcessExit;
            epmd = StartProcess(EpmdStartInfo(), line => { });
            await WaitForEpmdAsync(epmd, cancellationToken);
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = StartProcess(ServerStartInfo(), line =>
        {
            if (line.Contains(ReadyBanner, StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        });
        server = process;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(StartLimit);
        var exited = process.WaitForExitAsync(limit.Token);
        if (await Task.WhenAny(ready.Task, exited) == ready.Task)
        {
            return;
        }

        var why = process.HasExited ? $"exited with code {process.ExitCode}" : $"was not ready within {StartLimit.TotalSeconds:0} s";
        await KillServerAsync();
        cancellationToken.ThrowIfCancellationRequested();
        throw new InvalidOperationException($"RabbitMQ node {NodeName} {why} (log: {LogFile}). Last output:{Environment.NewLine}{output}");
    }

    /// <summary>Stops the node gracefully (SIGTERM), keeping its data, port and epmd for a later <see cref="StartAsync"/>.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (server is not { } process)
        {
            return;
        }
        if (!process.HasExited)
        {
            try
            {
                // The start script traps SIGTERM and shuts the node down cleanly, flushing queues to disk.
                await ExternalTool.RunAsync("/bin/sh", ["-c", "kill -TERM \"$1\"", "sh", process.Id.ToString(CultureInfo.InvariantCulture)]);
            }
            catch (InvalidOperationException) when (process.HasExited)
            {
                // It ended on its own between the check and the signal.
            }
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(StopLimit);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                await KillServerAsync();
                cancellationToken.ThrowIfCancellationRequested();
                throw new TimeoutException($"RabbitMQ node {NodeName} did not stop within {StopLimit.TotalSeconds:0} s and was killed.");
            }
        }
        server = null;
        process.Dispose();
    }

    async Task IAsyncLifetime.InitializeAsync() => await StartAsync();

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }
        disposed = true;
        try
        {
            await StopAsync();
        }
        finally
        {
            await KillServerAsync();
            if (epmd is { } daemon)
            {
                AppDomain.CurrentDomain.ProcessExit -= KillOnProcessExit;
                daemon.Kill();
                await daemon.WaitForExitAsync();
                daemon.Dispose();
                epmd = null;
            }
            directory.Dispose();
        }
    }

    private ProcessStartInfo EpmdStartInfo()
    {
        var startInfo = new ProcessStartInfo("epmd") { WorkingDirectory = directory.Path };
        foreach (var argument in new[] { "-port", epmdPort.ToString(CultureInfo.InvariantCulture), "-address", Host })
        {
            startInfo.ArgumentList.Add(argument);
        }
        return startInfo;
    }

    private ProcessStartInfo ServerStartInfo()
    {
        var startInfo = new ProcessStartInfo(ServerScript) { WorkingDirectory = directory.Path };
        // Settings of the machine or of a broker the caller runs must not leak into this node.
        foreach (var name in startInfo.Environment.Keys.ToList())
        {
            if (name.StartsWith("RABBITMQ_", StringComparison.Ordinal) || name.StartsWith("ERL_", StringComparison.Ordinal)
                || name == "NOTIFY_SOCKET")
            {
                startInfo.Environment.Remove(name);
            }
        }
        var settings = new Dictionary<string, string>
        {
            ["HOME"] = directory.File("home"), // the Erlang cookie goes here
            ["ERL_EPMD_PORT"] = epmdPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_NODENAME"] = NodeName,
            ["RABBITMQ_DIST_PORT"] = distributionPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_MNESIA_BASE"] = directory.File("mnesia"),
            ["RABBITMQ_LOG_BASE"] = directory.File("log"),
            ["RABBITMQ_PID_FILE"] = directory.File("rabbitmq.pid"),
            ["RABBITMQ_CONFIG_FILE"] = directory.File("rabbitmq.conf"),
            ["RABBITMQ_ADVANCED_CONFIG_FILE"] = directory.File("advanced.config"),
            ["RABBITMQ_CONF_ENV_FILE"] = directory.File("rabbitmq-env.conf"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = directory.File("enabled_plugins"),
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
        };
        foreach (var (name, value) in settings)
        {
            startInfo.Environment[name] = value;
        }
        return startInfo;
    }

    private Process StartProcess(ProcessStartInfo startInfo, Action<string> onLine)
    {
        startInfo.UseShellExecute = false;
        startInfo.RedirectStandardInput = true;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{startInfo.FileName} did not start.");
        process.StandardInput.Close();
        DataReceivedEventHandler handler = (_, e) =>
        {
            if (e.Data is not null)
            {
                output.Add(e.Data);
                onLine(e.Data);
            }
        };
        process.OutputDataReceived += handler;
        process.ErrorDataReceived += handler;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>The node would start a daemonised epmd of its own (one we could not end by handle) if ours were not listening yet.</summary>
    private async Task WaitForEpmdAsync(Process daemon, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, epmdPort, cancellationToken);
                return;
            }
            catch (SocketException) when (!daemon.HasExited && deadline.Elapsed < EpmdLimit)
            {
                await Task.Delay(20, cancellationToken);
            }
            catch (SocketException)
            {
                throw new InvalidOperationException($"epmd did not listen on port {epmdPort}. Output:{Environment.NewLine}{output}");
            }
        }
    }

    private async Task KillServerAsync()
    {
        if (server is not { } process)
        {
            return;
        }
        server = null;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }

    // A test host that is torn down without disposing its fixtures must not leave a node behind.
    private void KillOnProcessExit(object? sender, EventArgs e)
    {
        server?.Kill(entireProcessTree: true);
        epmd?.Kill();
    }

    private static int[] FreeLoopbackPorts(int count)
    {
        // All listeners stay open until every port is chosen, so the ports differ from one another.
        var listeners = new List<TcpListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }
            return [.. listeners.Select(listener => ((IPEndPoint)listener.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }
}

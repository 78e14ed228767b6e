using System.Diagnostics;
using System.Text;
using MassTransit;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Messages;
using MusicSearch.Core.Storage;
using MusicSearch.Core.Storage.Embedded;
using MusicSearch.Testing;

namespace MusicSearch.Indexing.Tests.Pipeline;

/// <summary>Faults of a real deployment: a private RabbitMQ broker, the worker as its own process, ffmpeg, the embedded store.</summary>
[Collection(PipelineTestGroup.Name)]
public sealed class RabbitMqPipelineTests(PipelineFixture fixture, RabbitMqBroker broker) : IDisposable
{
    private readonly TemporaryDirectory _storeDirectory = new();

    public void Dispose() => _storeDirectory.Dispose();

    [Fact]
    public async Task Killing_the_worker_mid_batch_and_starting_it_again_indexes_every_track_exactly_once()
    {
        const string Prefix = "kill";
        await using var observer = await PipelineHost.StartAsync(null, null, RabbitSettings(Prefix));
        var tracks = fixture.AudioFiles.Select(path => PipelineFixture.TrackFor(path, Prefix)).ToArray();
        var garbage = PipelineFixture.TrackFor(fixture.GarbageFile, Prefix);

        using (var first = await WorkerProcess.StartAsync(fixture.PackageA, _storeDirectory.Path, broker, Prefix))
        {
            await observer.Bus.PublishBatch(tracks.Append(garbage).Select(track => new IndexTrack(track, Version: 3)));
            await Eventually.HoldsAsync(() => !observer.Events.Indexed.IsEmpty, "a first batch indexed", seconds: 60);
            first.Kill();
        }
        Assert.True(observer.Events.Indexed.Select(e => e.TrackId).Distinct().Count() < tracks.Length, "the worker finished everything before it was killed");

        using (var second = await WorkerProcess.StartAsync(fixture.PackageA, _storeDirectory.Path, broker, Prefix))
        {
            await Eventually.HoldsAsync(() => observer.Events.Indexed.Select(e => e.TrackId).Distinct().Count() == tracks.Length && !observer.Events.Errors.IsEmpty,
                "every track indexed and the garbage file in the error queue", seconds: 60);
            Assert.Equal(0, await second.StopAsync());
        }

        Assert.All(observer.Events.Errors, error => Assert.Equal((garbage.Id, "not-audio"), (error.Message.Track.Id, error.Code)));
        await using var store = new EmbeddedTrackCollections(new EmbeddedStoreOptions { Directory = _storeDirectory.Path });
        var active = (await store.GetActiveAsync())!;
        Assert.Equal(new StatusCounts(0, tracks.Length, 1), await active.CountAsync());
        foreach (var track in tracks)
        {
            var state = (await active.GetAsync(track.Id))!.State;
            Assert.Equal((TrackStatus.Indexed, 3L), (state.Status, state.Version));
        }
    }

    [Fact]
    public async Task A_broker_restart_in_the_middle_of_a_run_does_not_stop_it_from_completing()
    {
        const string Prefix = "restart";
        await using var store = new EmbeddedTrackCollections(new EmbeddedStoreOptions { Directory = _storeDirectory.Path });
        await using var worker = await PipelineHost.StartAsync(fixture.PackageA, store, RabbitSettings(Prefix, batch: 2));
        var tracks = fixture.AudioFiles.Select(path => PipelineFixture.TrackFor(path, Prefix)).ToArray();

        await worker.Bus.PublishBatch(tracks.Select(track => new IndexTrack(track, Version: 1)));
        await Eventually.HoldsAsync(() => !worker.Events.Indexed.IsEmpty, "a first batch indexed", seconds: 60);
        await broker.StopAsync();
        await broker.StartAsync();

        await Eventually.HoldsAsync(() => worker.Events.Indexed.Select(e => e.TrackId).Distinct().Count() == tracks.Length, "every track indexed", seconds: 90);
        Assert.Equal(new StatusCounts(0, tracks.Length, 0), await (await store.GetActiveAsync())!.CountAsync());
    }

    private Dictionary<string, string?> RabbitSettings(string prefix, int batch = 4) => new()
    {
        ["Bus:Transport"] = "RabbitMq",
        ["Bus:EndpointPrefix"] = prefix,
        ["Bus:RabbitMq:Host"] = broker.Host,
        ["Bus:RabbitMq:Port"] = broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Bus:RabbitMq:VirtualHost"] = broker.VirtualHost,
        ["Bus:RabbitMq:Username"] = broker.Username,
        ["Bus:RabbitMq:Password"] = broker.Password,
        ["Indexer:BatchMessageLimit"] = batch.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary><c>musicsearch worker</c> as a child process, its output kept for failure messages.</summary>
    private sealed class WorkerProcess : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        private WorkerProcess(Process process)
        {
            _process = process;
            _process.OutputDataReceived += (_, line) => Append(line.Data);
            _process.ErrorDataReceived += (_, line) => Append(line.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public static async Task<WorkerProcess> StartAsync(string package, string store, RabbitMqBroker broker, string prefix)
        {
            var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "musicsearch"))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[]
            {
                "worker", "--package", package, "--store", store, "--transport", "RabbitMq",
                "--rabbit-host", broker.Host, "--rabbit-port", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--rabbit-vhost", broker.VirtualHost, "--rabbit-user", broker.Username, "--urls", "http://127.0.0.1:0",
                $"--Bus:EndpointPrefix={prefix}", "--Indexer:BatchMessageLimit=4", "--Indexer:BatchTimeLimit=00:00:00.300", "--Indexer:DecodeParallelism=2",
                $"--Audio:Sources:LibraryRoots:0={Path.GetTempPath()}",
            })
            {
                start.ArgumentList.Add(argument);
            }
            start.Environment["Bus__RabbitMq__Password"] = broker.Password;
            var worker = new WorkerProcess(Process.Start(start)!);
            // Messages published before the worker declared its queue would be dropped by the exchange.
            await Eventually.HoldsAsync(() => worker.Output.Contains("Bus started", StringComparison.Ordinal) || worker._process.HasExited,
                "the worker's bus started", seconds: 60);
            Assert.False(worker._process.HasExited, worker.Output);
            return worker;
        }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public void Kill() => _process.Kill();

        /// <summary>SIGTERM, as an orchestrator stops a worker; returns the exit code.</summary>
        public async Task<int> StopAsync()
        {
            await ExternalTool.RunAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await _process.WaitForExitAsync(timeout.Token);
            return _process.ExitCode;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit();
            }
            _process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}

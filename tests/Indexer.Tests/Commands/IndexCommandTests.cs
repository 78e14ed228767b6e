using System.Text.Json;
using MusicSearch.Core.Catalog;
using MusicSearch.Core.Storage.Embedded;
using MusicSearch.Testing;

namespace MusicSearch.Indexer.Tests.Commands;

/// <summary><c>index</c> and audio-file <c>search</c> end to end: real files, ffprobe tags, the tiny model, the embedded store.</summary>
[Collection(PipelineTestGroup.Name)]
public sealed class IndexCommandTests(PipelineFixture fixture, RabbitMqBroker broker) : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    private string Library => _directory.File("library");

    private string Store => _directory.File("store");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task IndexesAFolderThenSkipsWhatIsUnchangedAndFindsEachTrackFromItsOwnFile()
    {
        var files = CopyLibrary();

        var (exit, output, error) = await Cli.RunAsync("index", Library, "--package", fixture.PackageA, "--store", Store, "--batch", "3");

        Assert.True(exit == 0, error + output);
        Assert.Contains("skipped garbage.mp3", output, StringComparison.Ordinal);
        Assert.Contains($"{files.Count} to embed", output, StringComparison.Ordinal);
        Assert.Contains("1 failed (", output, StringComparison.Ordinal);
        Assert.Contains($"store now: {files.Count - 1} indexed, 0 pending, 1 failed", output, StringComparison.Ordinal);
        Assert.Matches(@"busy time: decode \d+ s, embed \d+ s .*store \d+\.\d\d s", output);

        // The same folder again: nothing to embed but the failed track; a changed tag is stored without embedding.
        await ExternalTool.RunAsync("ffmpeg", ["-v", "error", "-y", "-i", fixture.AudioFiles[0], "-metadata", "artist=Renamed", _directory.File("retagged.flac")]);
        File.Move(_directory.File("retagged.flac"), Path.Combine(Library, "low-tone.flac"), overwrite: true);
        (exit, output, error) = await Cli.RunAsync("index", Library, "--package", fixture.PackageA, "--store", Store);
        Assert.True(exit == 0, error + output);
        Assert.Contains($"1 to embed, 1 tags refreshed, {files.Count - 2} unchanged", output, StringComparison.Ordinal);

        await using (var collections = new EmbeddedTrackCollections(new EmbeddedStoreOptions { Directory = Store }))
        {
            var record = await (await collections.GetActiveAsync())!.GetAsync(new TrackId("low-tone.flac"));
            Assert.Equal(("Renamed", TrackStatus.Indexed), (record!.Track.Artist, record.State.Status));
        }

        foreach (var file in new[] { "high-tone.wav", "chord.flac", "brown-noise.mp3" })
        {
            (exit, output, error) = await Cli.RunAsync("search", Path.Combine(Library, file), "--package", fixture.PackageA, "--store", Store, "--k", "3", "--windows", "--json");
            Assert.True(exit == 0, error + output);
            var json = JsonDocument.Parse(output).RootElement;
            Assert.Equal(file, json.GetProperty("results")[0].GetProperty("track").GetProperty("id").GetString());
            Assert.Equal(file, json.GetProperty("windows")[0].GetProperty("track").GetProperty("id").GetString());
        }
    }

    [Fact]
    public async Task AudioOutsideTheLibraryRootsFailsWithAClearReason()
    {
        Directory.CreateDirectory(Library);
        var manifest = Path.Combine(Library, "manifest.csv");
        await File.WriteAllTextAsync(manifest, $"id,uri\noutside,{new Uri(fixture.AudioFiles[1]).AbsoluteUri}\n");

        var (exit, output, error) = await Cli.RunAsync("index", manifest, "--package", fixture.PackageA, "--store", Store);

        Assert.True(exit == 0, error + output);
        Assert.Contains("1 failed (not-allowed)", output, StringComparison.Ordinal);
        Assert.Contains("store now: 0 indexed, 0 pending, 1 failed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishSendsOneMessagePerTrackToTheWorkersQueue()
    {
        CopyLibrary();
        var prefix = "publish" + Guid.NewGuid().ToString("N")[..6];

        var (exit, output, error) = await Cli.RunAsync("index", Library, "--publish", "--Bus:Transport=RabbitMq", $"--Bus:EndpointPrefix={prefix}",
            $"--Bus:RabbitMq:Host={broker.Host}", $"--Bus:RabbitMq:Port={broker.Port}", $"--Bus:RabbitMq:VirtualHost={broker.VirtualHost}",
            $"--Bus:RabbitMq:Username={broker.Username}", $"--Bus:RabbitMq:Password={broker.Password}");

        Assert.True(exit == 0, error + output);
        Assert.Contains($"queue:{prefix}-index-track", output, StringComparison.Ordinal);
        Assert.Equal((uint)fixture.AudioFiles.Count + 1, await BrokerQueues.MessageCountAsync(broker, $"{prefix}-index-track"));

        (exit, _, error) = await Cli.RunAsync("index", Library, "--publish");
        Assert.Equal(2, exit);
        Assert.Contains("Bus:Transport=RabbitMq", error, StringComparison.Ordinal);
    }

    /// <summary>The fixture's sounds, a truncated FLAC (fails to decode) and a garbage file (no audio for ffprobe).</summary>
    private List<string> CopyLibrary()
    {
        Directory.CreateDirectory(Library);
        var files = fixture.AudioFiles.Append(fixture.TruncatedFile).ToList();
        foreach (var file in files.Append(fixture.GarbageFile))
        {
            File.Copy(file, Path.Combine(Library, Path.GetFileName(file)));
        }
        return files;
    }
}

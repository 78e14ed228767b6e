using MusicSearch.Testing;

namespace MusicSearch.Indexer.Tests;

public sealed class CliTests : IDisposable
{
    private readonly TemporaryDirectory _temporary = new();

    public void Dispose() => _temporary.Dispose();

    [Fact]
    public async Task Package_inspect_accepts_a_package_exported_by_the_training_project()
    {
        var package = _temporary.File("tiny");
        await ExternalTool.RunPythonModuleAsync("musicsearch_training.package", "export", "--config", "tiny", "--seed", "3", package);

        var (exit, output, error) = await RunCliAsync("package", "inspect", package);

        Assert.True(exit == 0, error);
        Assert.Contains("musicfm", output);
        Assert.Contains("verified", output);
    }

    [Fact]
    public async Task Package_inspect_reports_a_missing_folder()
    {
        var (exit, _, error) = await RunCliAsync("package", "inspect", _temporary.File("absent"));
        Assert.Equal(2, exit);
        Assert.Contains("model package folder not found", error);
    }

    [Fact]
    public async Task Audio_probe_prints_tags_and_format()
    {
        var file = _temporary.File("tone.flac");
        await ExternalTool.RunAsync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=2",
            "-metadata", "title=Probe Me", "-metadata", "artist=Test Artist", file]);

        var (exit, output, error) = await RunCliAsync("audio", "probe", file);

        Assert.True(exit == 0, error);
        Assert.Contains("flac", output);
        Assert.Contains("2.000 s", output);
        Assert.Contains("Probe Me", output);
        Assert.Contains("Test Artist", output);
    }

    [Fact]
    public async Task Audio_decode_writes_the_requested_range_as_float32()
    {
        var file = _temporary.File("tone.wav");
        var pcm = _temporary.File("tone.f32");
        await ExternalTool.RunAsync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=3", file]);

        var (exit, output, error) = await RunCliAsync("audio", "decode", file, pcm, "--sample-rate", "16000", "--start", "1", "--duration", "1.5");

        Assert.True(exit == 0, error);
        Assert.Contains("24000 samples", output);
        Assert.Equal(24000 * sizeof(float), new FileInfo(pcm).Length);
    }

    [Fact]
    public async Task Audio_decode_of_a_non_audio_file_fails_with_its_kind()
    {
        var file = _temporary.File("notes.mp3");
        await File.WriteAllTextAsync(file, "these are not sounds");
        var (exit, _, error) = await RunCliAsync("audio", "decode", file, _temporary.File("out.f32"));
        Assert.Equal(2, exit);
        Assert.Contains("error (NotAudio)", error);
    }

    private static Task<(int Exit, string Output, string Error)> RunCliAsync(params string[] args) => Cli.RunAsync(args);
}

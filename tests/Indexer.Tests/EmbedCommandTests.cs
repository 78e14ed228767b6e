using System.Text.Json;
using MusicSearch.Testing;

namespace MusicSearch.Indexer.Tests;

/// <summary>A tiny MusicFM package exported by the training project and two generated audio files, shared by the embed CLI tests.</summary>
public sealed class EmbedFixture : IAsyncLifetime, IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public string Package => _directory.File("tiny");

    /// <summary>12 s of a 440 Hz tone at 44.1 kHz: shorter than one 30 s window.</summary>
    public string ShortFile => _directory.File("short.flac");

    /// <summary>65 s of a chirp-like tone at 48 kHz: two full windows and a 5 s partial one.</summary>
    public string LongFile => _directory.File("long.wav");

    public async Task InitializeAsync() => await Task.WhenAll(
        ExternalTool.RunPythonModuleAsync("musicsearch_training.package", "export", "--config", "tiny", "--seed", "21", Package),
        ExternalTool.RunAsync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=12", ShortFile]),
        ExternalTool.RunAsync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "sine=frequency=220:beep_factor=3:sample_rate=48000:duration=65", LongFile]));

    // xunit disposes a fixture through both interfaces; the cleanup lives in Dispose.
    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _directory.Dispose();
}

public sealed class EmbedCommandTests(EmbedFixture fixture) : IClassFixture<EmbedFixture>, IDisposable
{
    private readonly TemporaryDirectory _temporary = new();

    public void Dispose() => _temporary.Dispose();

    [Fact]
    public async Task Embed_prints_the_dimensions_windows_unit_norm_and_timing()
    {
        var (exit, output, error) = await RunCliAsync("embed", fixture.ShortFile, "--package", fixture.Package);

        Assert.True(exit == 0, error);
        Assert.Contains("musicfm-tiny-", output);
        Assert.Contains("dimensions", output);
        Assert.Contains("32", output);
        Assert.Contains("1 (1 forward passes)", output);
        Assert.Contains("1.000000", output);
        Assert.Contains("windows/s", output);
    }

    [Fact]
    public async Task Embed_json_lists_every_window_and_the_unit_vector()
    {
        var (exit, output, error) = await RunCliAsync("embed", fixture.LongFile, "--package", fixture.Package, "--json", "--batch-size", "2");

        Assert.True(exit == 0, error);
        using var report = JsonDocument.Parse(output);
        var root = report.RootElement;
        Assert.Equal(32, root.GetProperty("dimensions").GetInt32());
        Assert.Equal(1, root.GetProperty("layer").GetInt32());
        Assert.Equal([0.0, 30.0, 60.0], root.GetProperty("windows").EnumerateArray().Select(w => w.GetProperty("start_seconds").GetDouble()));
        Assert.Equal(5.0, root.GetProperty("windows")[2].GetProperty("duration_seconds").GetDouble(), 6);
        Assert.Equal(2, root.GetProperty("timing").GetProperty("forward_passes").GetInt32());
        var vector = root.GetProperty("vector").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(32, vector.Length);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => v * v)), 5);
        Assert.Equal(1.0, root.GetProperty("norm").GetDouble(), 5);
    }

    [Fact]
    public async Task Embed_honours_the_layer_and_the_window_limit()
    {
        var (exit, output, error) = await RunCliAsync("embed", fixture.LongFile, "--package", fixture.Package, "--json", "--layer", "0", "--max-windows", "2");

        Assert.True(exit == 0, error);
        using var report = JsonDocument.Parse(output);
        Assert.Equal(0, report.RootElement.GetProperty("layer").GetInt32());
        Assert.Equal([0.0, 35.0], report.RootElement.GetProperty("windows").EnumerateArray().Select(w => w.GetProperty("start_seconds").GetDouble()));
    }

    [Fact]
    public async Task Embed_of_a_non_audio_file_or_a_bad_package_exits_2_with_the_typed_error()
    {
        var notAudio = _temporary.File("notes.mp3");
        await File.WriteAllTextAsync(notAudio, "these are not sounds");
        var (exit, _, error) = await RunCliAsync("embed", notAudio, "--package", fixture.Package);
        Assert.Equal(2, exit);
        Assert.Contains("error (NotAudio)", error);

        (exit, _, error) = await RunCliAsync("embed", fixture.ShortFile, "--package", _temporary.File("no-package"));
        Assert.Equal(2, exit);
        Assert.Contains("error (package)", error);
        Assert.Contains("model package folder not found", error);

        (exit, _, error) = await RunCliAsync("embed", fixture.ShortFile, "--package", fixture.Package, "--layer", "9");
        Assert.Equal(2, exit);
        Assert.Contains("layer must lie in [0, 2]", error);
    }

    private static async Task<(int Exit, string Output, string Error)> RunCliAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await Program.BuildCommandLine(output, error).Parse(args).InvokeAsync();
        return (exit, output.ToString(), error.ToString());
    }
}

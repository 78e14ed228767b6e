using MusicSearch.Core.Catalog;
using Xunit;

namespace MusicSearch.Testing;

/// <summary>
/// Two tiny MusicFM packages of different versions (the training project's random-weight export) and a folder of
/// short generated tracks whose sounds differ (tones, chords, noises of several colours), plus two files that are
/// not valid audio. Shared by every pipeline test.
/// </summary>
public sealed class PipelineFixture : IAsyncLifetime, IDisposable
{
    public const string ModelA = "tiny-pipeline-a";
    public const string ModelB = "tiny-pipeline-b";

    // ffmpeg lavfi sources, 8 s each: different spectra, so that every track's embedding differs from the others'.
    private static readonly (string Name, string Source)[] Sounds =
    [
        ("low-tone.flac", "sine=frequency=110:sample_rate=44100:duration=8"),
        ("high-tone.wav", "sine=frequency=1760:sample_rate=48000:duration=8"),
        ("pink-noise.flac", "anoisesrc=color=pink:amplitude=0.5:seed=3:sample_rate=44100:duration=8"),
        ("brown-noise.mp3", "anoisesrc=color=brown:amplitude=0.7:seed=5:sample_rate=44100:duration=8"),
        ("chord.flac", "aevalsrc=0.3*sin(2*PI*261.6*t)+0.3*sin(2*PI*329.6*t)+0.3*sin(2*PI*392*t):s=44100:d=8"),
        ("square.wav", "aevalsrc=0.4*sgn(sin(2*PI*220*t)):s=48000:d=8"),
        ("beeps.flac", "sine=frequency=660:beep_factor=4:sample_rate=44100:duration=8"),
        ("white-noise.wav", "anoisesrc=color=white:amplitude=0.2:seed=7:sample_rate=24000:duration=8"),
    ];

    private readonly TemporaryDirectory _directory = new();

    public string PackageA => _directory.File("package-a");

    public string PackageB => _directory.File("package-b");

    public IReadOnlyList<string> AudioFiles => [.. Sounds.Select(sound => _directory.File(sound.Name))];

    /// <summary>Random bytes with an audio extension: ffprobe finds no audio in it.</summary>
    public string GarbageFile => _directory.File("garbage.mp3");

    /// <summary>The first half of a valid FLAC file: decoding stops early.</summary>
    public string TruncatedFile => _directory.File("truncated.flac");

    public async Task InitializeAsync()
    {
        await Task.WhenAll([
            ExternalTool.RunPythonModuleAsync("musicsearch_training.package", "export", "--config", "tiny", "--seed", "31", "--version", ModelA, PackageA),
            ExternalTool.RunPythonModuleAsync("musicsearch_training.package", "export", "--config", "tiny", "--seed", "32", "--version", ModelB, PackageB),
            .. Sounds.Select(sound => ExternalTool.RunAsync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", sound.Source, _directory.File(sound.Name)])),
        ]);
        await File.WriteAllBytesAsync(GarbageFile, [.. Enumerable.Range(0, 40_000).Select(i => (byte)(i * 7919 % 251))]);
        var whole = await File.ReadAllBytesAsync(_directory.File("chord.flac"));
        await File.WriteAllBytesAsync(TruncatedFile, whole[..(whole.Length / 2)]);
    }

    /// <summary>A catalog track for an audio file; <paramref name="prefix"/> keeps the ids of different tests apart.</summary>
    public static Track TrackFor(string path, string prefix) => new()
    {
        Id = new TrackId($"{prefix}-{Path.GetFileNameWithoutExtension(path)}"),
        Title = Path.GetFileNameWithoutExtension(path),
        Artist = "Generator",
        AudioUri = new Uri(path).AbsoluteUri,
    };

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _directory.Dispose();
}

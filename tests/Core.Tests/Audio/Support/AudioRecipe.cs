using System.Globalization;
using MusicSearch.Testing;

namespace MusicSearch.Core.Tests.Audio.Support;

/// <summary>How to make one test file: an ffmpeg lavfi source, encoded with the codec its extension implies.</summary>
public sealed record AudioRecipe(string Name, string Source, params string[] ExtraArguments)
{
    /// <summary>lavfi's sine source: amplitude 1/8.</summary>
    public static AudioRecipe Tone(string name, int sampleRate, int channels = 1, double seconds = 3, int frequency = 1000) =>
        new(name, Invariant($"sine=frequency={frequency}:sample_rate={sampleRate}:duration={seconds}"), "-ac", Invariant($"{channels}"));

    /// <summary>Silence with one 0.2 ms click of amplitude 0.8 starting at <paramref name="at"/> seconds.</summary>
    public static AudioRecipe Click(string name, int sampleRate, double at, double seconds = 3) =>
        new(name, Invariant($"aevalsrc=exprs='0.8*between(t\\,{at}\\,{at + 0.0002})':s={sampleRate}:d={seconds}"));

    /// <summary>A stereo file whose channels are given as lavfi expressions of t.</summary>
    public static AudioRecipe Stereo(string name, string left, string right, int sampleRate = 44100, double seconds = 1) =>
        new(name, Invariant($"aevalsrc=exprs='{left}|{right}':s={sampleRate}:d={seconds}"));

    /// <summary>The same recipe with more encoder options, such as tags.</summary>
    public AudioRecipe WithArguments(params string[] arguments) => this with { ExtraArguments = [.. ExtraArguments, .. arguments] };

    public Task CreateAsync(string directory) =>
        ExternalTool.RunAsync(
            "ffmpeg",
            ["-v", "error", "-y", "-f", "lavfi", "-i", Source, .. EncoderArguments(), .. ExtraArguments, Path.Combine(directory, Name)]);

    private string[] EncoderArguments() => Path.GetExtension(Name) switch
    {
        ".mp3" => ["-c:a", "libmp3lame"],
        ".ogg" => ["-c:a", "libvorbis"],
        ".opus" => ["-c:a", "libopus"],
        ".flac" => ["-c:a", "flac"],
        ".wav" => ["-c:a", "pcm_s16le"],
        // .aac makes ffmpeg write a raw ADTS stream, which has no container duration.
        ".m4a" or ".aac" => ["-c:a", "aac"],
        var other => throw new ArgumentException($"No encoder for {other} files.", nameof(Name)),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

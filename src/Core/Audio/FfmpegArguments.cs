using System.Globalization;

namespace MusicSearch.Core.Audio;

/// <summary>Command lines for ffprobe and ffmpeg, passed as argument lists so no shell ever parses a path.</summary>
internal static class FfmpegArguments
{
    private static readonly string[] DecodeOptions =
    [
        // -nostdin only stops ffmpeg reading keyboard commands from stdin; reading "pipe:0" as input still works.
        "-hide_banner", "-nostdin", "-nostats",
        "-v", "error",
        // The final progress report says how far the output timeline got, which tells a file that stops early
        // (Truncated) from one with holes in it (Corrupt). It shares stderr with the error lines.
        "-progress", "pipe:2",
    ];

    // The demuxers a file may be read with: single-file audio containers and tracker modules. Playlist, concat and
    // image-sequence demuxers open further files named inside the input, so they are left out (with the file
    // protocol allowed, an HLS or concat list in a library could otherwise read files outside it).
    private const string AudioFormats =
        "aac,ac3,aiff,amr,ape,asf,au,avi,caf,dsf,dts,eac3,flac,libopenmpt,matroska,mov,mp3,mpc,mpc8,ogg,tta,truehd,w64,wav,wv";

    public static IReadOnlyList<string> Probe(string fullPath) =>
    [
        "-hide_banner",
        // Warnings too: "Estimating duration from bitrate" is how we learn that a duration is only a guess.
        "-v", "warning",
        "-protocol_whitelist", "file",
        "-format_whitelist", AudioFormats,
        "-print_format", "json",
        "-show_format",
        "-show_streams",
        "-select_streams", "a:0",
        "-i", FileUrl(fullPath),
    ];

    public static IReadOnlyList<string> Decode(string fullPath, int sampleRate, AudioRange range)
    {
        List<string> arguments = [.. DecodeOptions, "-protocol_whitelist", "file", "-format_whitelist", AudioFormats];

        // Before -i these seek and cut the input: fast, and still sample-accurate because ffmpeg decodes from
        // the preceding seek point and discards what lies before the requested start.
        if (range.Start > TimeSpan.Zero)
        {
            arguments.AddRange(["-ss", Seconds(range.Start)]);
        }

        if (range.Length is { } length)
        {
            arguments.AddRange(["-t", Seconds(length)]);
        }

        arguments.AddRange(["-i", FileUrl(fullPath), .. Output(sampleRate)]);
        return arguments;
    }

    /// <summary>
    /// Decodes whatever arrives on stdin. Only the pipe protocol is allowed, so nothing inside the stream (a
    /// playlist, a concat list, a reference movie) can make ffmpeg open a file or a network address.
    /// </summary>
    public static IReadOnlyList<string> DecodeStandardInput(int sampleRate) =>
        [.. DecodeOptions, "-protocol_whitelist", "pipe", "-i", "pipe:0", .. Output(sampleRate)];

    private static string[] Output(int sampleRate) =>
    [
        "-map", "0:a:0",
        "-ac", "1",
        "-af", $"aresample={sampleRate}:resampler=soxr",
        "-f", BitConverter.IsLittleEndian ? "f32le" : "f32be",
        "pipe:1",
    ];

    // The file: prefix stops a name such as "pipe:0" or "http://host/x" being opened as a protocol, and the
    // whitelist stops playlists or concat lists inside a file from reaching anything but local files.
    private static string FileUrl(string fullPath) => "file:" + fullPath;

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.######", CultureInfo.InvariantCulture);
}

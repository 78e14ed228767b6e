using System.CommandLine;
using System.Runtime.InteropServices;
using MusicSearch.Core.Audio;
using Spectre.Console;

namespace MusicSearch.Indexer.Commands;

/// <summary>
/// <c>musicsearch audio probe FILE</c> and <c>musicsearch audio decode FILE OUT</c>: let an operator see what the
/// indexer will see for one file, with the same decoder and the same typed errors.
/// </summary>
internal static class AudioCommands
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var audio = new Command("audio", "Inspect and decode audio files as the indexer does.");
        audio.Subcommands.Add(Probe(output, error));
        audio.Subcommands.Add(Decode(output, error));
        return audio;
    }

    private static Command Probe(TextWriter output, TextWriter error)
    {
        var file = new Argument<FileInfo>("file") { Description = "An audio file." };
        var command = new Command("probe", "Print duration, codec, sample rate, channels and tags (ffprobe).") { file };
        command.SetAction((parse, token) => OperatorErrors.RunAsync(error, async () =>
        {
            var metadata = await new AudioMetadataReader(new AudioDecoderOptions()).ReadAsync(parse.GetValue(file)!.FullName, token);
            var table = new Table().AddColumn("field").AddColumn("value");
            table.AddRow("format", Markup.Escape(metadata.FormatName));
            table.AddRow("codec", Markup.Escape(metadata.Codec));
            table.AddRow("duration", metadata.Duration is { } duration ? $"{duration.TotalSeconds:F3} s" : "unknown");
            table.AddRow("sample rate", $"{metadata.SampleRate} Hz");
            table.AddRow("channels", metadata.Channels.ToString());
            table.AddRow("bit rate", metadata.BitRate is { } bits ? $"{bits / 1000} kb/s" : "unknown");
            foreach (var (name, value) in Tags(metadata.Tags))
            {
                table.AddRow(name, Markup.Escape(value ?? ""));
            }
            CliConsole.For(output).Write(table);
        }));
        return command;
    }

    private static Command Decode(TextWriter output, TextWriter error)
    {
        var file = new Argument<FileInfo>("file") { Description = "An audio file." };
        var destination = new Argument<FileInfo>("output") { Description = "Where to write mono float32 little-endian PCM." };
        var sampleRate = new Option<int>("--sample-rate") { Description = "Output sample rate in Hz.", DefaultValueFactory = _ => 24000 };
        var start = new Option<double>("--start") { Description = "Start offset in seconds." };
        var duration = new Option<double?>("--duration") { Description = "Seconds to decode (default: to the end)." };
        var command = new Command("decode", "Decode to mono float32 PCM at a sample rate, optionally one range.") { file, destination, sampleRate, start, duration };
        command.SetAction((parse, token) => OperatorErrors.RunAsync(error, async () =>
        {
            var range = new AudioRange(TimeSpan.FromSeconds(parse.GetValue(start)),
                parse.GetValue(duration) is { } seconds ? TimeSpan.FromSeconds(seconds) : null);
            var rate = parse.GetValue(sampleRate);
            var decoded = await new AudioDecoder(new AudioDecoderOptions()).DecodeAsync(parse.GetValue(file)!.FullName, rate, range, token);
            await File.WriteAllBytesAsync(parse.GetValue(destination)!.FullName, MemoryMarshal.AsBytes(decoded.Samples.AsSpan()).ToArray(), token);
            await output.WriteLineAsync($"{decoded.Samples.Length} samples ({decoded.Duration.TotalSeconds:F3} s at {rate} Hz) written");
        }));
        return command;
    }

    private static IEnumerable<(string, string?)> Tags(AudioTags tags) =>
        [("title", tags.Title), ("artist", tags.Artist), ("album", tags.Album), ("genre", tags.Genre), ("date", tags.Date), ("track", tags.Track)];
}

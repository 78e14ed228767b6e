using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using MusicSearch.Core.Audio;
using MusicSearch.Core.Catalog;

namespace MusicSearch.Indexer.Commands.Eval;

/// <summary>
/// The robustness excerpts of a corpus, made once and shared by every model evaluated. For each track and each
/// sample rate a model needs: the clean mono excerpt from the middle of the track, decoded as the indexer decodes
/// (so the clean condition is exactly what the model would hear), then every <see cref="Degradation"/> of it in one
/// ffmpeg run at that rate (noise is full-band at the model's rate, so its SNR is what the model gets), written as
/// raw float32; a lossy condition is encoded by that run and decoded back by one more.
/// </summary>
internal sealed class ExcerptLibrary
{
    private readonly string _directory;
    private readonly double _seconds;
    private readonly AudioDecoder _decoder;
    private readonly AudioMetadataReader _metadata;
    private readonly string _ffmpeg;
    private readonly Dictionary<TrackId, int> _rendered = [];
    private readonly Dictionary<TrackId, string> _problems = [];

    public ExcerptLibrary(string directory, double seconds, AudioDecoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _directory = directory;
        _seconds = seconds;
        _decoder = new AudioDecoder(options);
        _metadata = new AudioMetadataReader(options);
        _ffmpeg = options.FfmpegPath;
        Directory.CreateDirectory(directory);
    }

    /// <summary>Tracks whose excerpts could not be made, with why.</summary>
    public IReadOnlyDictionary<TrackId, string> Problems => _problems;

    public bool Has(TrackId track) => _rendered.ContainsKey(track);

    /// <summary>
    /// Renders every track's excerpts at each of <paramref name="sampleRates"/>, <paramref name="parallelism"/> tracks
    /// at a time; failures are recorded (<see cref="Problems"/>), not thrown.
    /// </summary>
    public async Task PrepareAsync(IReadOnlyList<Track> tracks, IReadOnlyCollection<int> sampleRates, int parallelism, IProgress<int> progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        ArgumentNullException.ThrowIfNull(sampleRates);
        var done = 0;
        var problems = new string?[tracks.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, tracks.Count), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (index, token) =>
            {
                try
                {
                    foreach (var rate in sampleRates)
                    {
                        await RenderAsync(tracks[index], index, rate, token);
                    }
                }
                catch (Exception error) when (error is AudioException or InvalidOperationException or ArgumentException or IOException)
                {
                    problems[index] = error.Message;
                }
                progress.Report(Interlocked.Increment(ref done));
            });
        for (var i = 0; i < tracks.Count; i++)
        {
            if (problems[i] is { } problem)
            {
                _problems[tracks[i].Id] = problem;
            }
            else
            {
                _rendered[tracks[i].Id] = i;
            }
        }
    }

    /// <summary>A degraded excerpt as mono PCM at <paramref name="sampleRate"/> (one of the rates it was prepared for).</summary>
    public async Task<float[]> LoadAsync(TrackId track, Degradation degradation, int sampleRate, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(RawPath(_rendered[track], sampleRate, degradation.Id), cancellationToken);
        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }

    /// <summary>
    /// anoisesrc's white noise is uniform in [−a, a], whose RMS is a/√3: a = √3 · RMS(excerpt) · 10^(−SNR/20) puts
    /// the noise the wanted number of dB below the excerpt.
    /// </summary>
    internal static double NoiseAmplitude(ReadOnlySpan<float> samples)
    {
        var sum = 0.0;
        foreach (var s in samples)
        {
            sum += (double)s * s;
        }
        var rms = Math.Sqrt(sum / Math.Max(1, samples.Length));
        return Math.Min(1, Math.Sqrt(3) * rms * Math.Pow(10, -Degradation.NoiseSnrDb / 20));
    }

    private async Task RenderAsync(Track track, int index, int rate, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(track.AudioUri, UriKind.Absolute, out var uri) || !uri.IsFile)
        {
            throw new ArgumentException($"only local files get excerpts, not {track.AudioUri}");
        }
        var path = uri.LocalPath;
        var duration = track.DurationSeconds ?? (await _metadata.ReadAsync(path, cancellationToken)).Duration?.TotalSeconds
            ?? throw new InvalidOperationException($"{path}: the duration is unknown, so the middle of the track is too");
        var start = Math.Max(0, (duration - _seconds) / 2);
        var clean = await DecodeExcerptAsync(path, rate, start, Math.Min(_seconds, duration), cancellationToken);
        if (clean.Length == 0)
        {
            throw new InvalidOperationException($"{path}: the excerpt at {start:0.#} s is empty");
        }
        var source = Path.Combine(_directory, $"{index}-{rate}.f32");
        await File.WriteAllBytesAsync(source, MemoryMarshal.AsBytes(clean.AsSpan()).ToArray(), cancellationToken);
        try
        {
            await RunFfmpegAsync(RenderArguments(source, index, rate, NoiseAmplitude(clean), clean.Length), cancellationToken);
            foreach (var lossy in Degradation.All.Where(d => d.Encoder is not null))
            {
                var encoded = EncodedPath(index, rate, lossy);
                await RunFfmpegAsync(["-hide_banner", "-nostdin", "-v", "error", "-y", "-i", encoded, "-ac", "1", "-ar", $"{rate}", "-f", "f32le",
                    RawPath(index, rate, lossy.Id)], cancellationToken);
                File.Delete(encoded);
            }
        }
        finally
        {
            File.Delete(source);
        }
    }

    /// <summary>
    /// The excerpt as the indexer decodes it. ffmpeg seeks before decoding; where that seek lands short (tracker
    /// modules: libopenmpt's seek is approximate, and the decoder then reports missing audio), the whole track is
    /// decoded and the excerpt cut from it, which the indexer's own whole-file decode agrees with.
    /// </summary>
    private async Task<float[]> DecodeExcerptAsync(string path, int rate, double start, double seconds, CancellationToken cancellationToken)
    {
        try
        {
            return (await _decoder.DecodeAsync(path, rate, new AudioRange(TimeSpan.FromSeconds(start), TimeSpan.FromSeconds(seconds)), cancellationToken)).Samples;
        }
        catch (AudioDecodeException error) when (error.Kind is AudioDecodeError.Corrupt or AudioDecodeError.Truncated && start > 0)
        {
            var whole = (await _decoder.DecodeAsync(path, rate, cancellationToken: cancellationToken)).Samples;
            var first = (int)Math.Min(whole.Length, Math.Round(start * rate));
            return whole.AsSpan(first, (int)Math.Min(whole.Length - first, Math.Round(seconds * rate))).ToArray();
        }
    }

    /// <summary>The clean f32 excerpt split into one branch per condition, each mapped to its own output file.</summary>
    private List<string> RenderArguments(string source, int index, int rate, double noiseAmplitude, int samples)
    {
        var all = Degradation.All;
        // The noise outlasts the excerpt by a second; amerge stops at the shorter input. (With several outputs,
        // amix=duration=first from a separate lavfi input ends early in ffmpeg 5.1, losing the last ~0.3 s.)
        var seconds = ((double)samples / rate + 1).ToString("0.######", CultureInfo.InvariantCulture);
        var amplitude = noiseAmplitude.ToString("0.##########", CultureInfo.InvariantCulture);
        List<string> arguments = ["-hide_banner", "-nostdin", "-v", "error", "-y", "-f", "f32le", "-ar", $"{rate}", "-ac", "1", "-i", source];
        var graph = $"[0:a]asplit={all.Count}" + string.Concat(all.Select((_, i) => $"[s{i}]")) +
            $";anoisesrc=r={rate}:c=white:a={amplitude}:seed={index + 1}:d={seconds}[noise]";
        for (var i = 0; i < all.Count; i++)
        {
            graph += all[i].Filter is { } filter
                ? $";[s{i}]{filter}[o{i}]"
                : $";[s{i}][noise]amerge=inputs=2,pan=mono|c0=c0+c1[o{i}]";
        }
        arguments.AddRange(["-filter_complex", graph]);
        for (var i = 0; i < all.Count; i++)
        {
            arguments.AddRange(all[i].Encoder is { } encoder
                ? ["-map", $"[o{i}]", .. encoder.Options, EncodedPath(index, rate, all[i])]
                : ["-map", $"[o{i}]", "-f", "f32le", RawPath(index, rate, all[i].Id)]);
        }
        return arguments;
    }

    private string RawPath(int index, int rate, string condition) => Path.Combine(_directory, $"{index}-{rate}-{condition}.f32");

    private string EncodedPath(int index, int rate, Degradation degradation) =>
        Path.Combine(_directory, $"{index}-{rate}-{degradation.Id}.{degradation.Encoder!.Value.Extension}");

    private async Task RunFfmpegAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_ffmpeg) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {_ffmpeg}");
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        await output;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg could not render the degraded excerpts (exit {process.ExitCode}): {(await errors).Trim()}");
        }
    }
}

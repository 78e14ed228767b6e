using MusicSearch.Evaluation.Reports;
using MusicSearch.Testing;

namespace MusicSearch.Indexer.Tests.Commands.Eval;

/// <summary>
/// A corpus whose right answers are known, evaluated once: two "artists" of synthesised sound, each with two
/// "albums" of two 6 s tracks — Tonal (Low: sines at 200 and 250 Hz; High: 2 and 2.5 kHz) and Noisy (White: white
/// noise at two levels; Brown: brown noise at two levels). Album mates sound closest, then the artist's other album,
/// then the other artist, so a working model ranks every list perfectly. The classical baseline, fitted on the corpus
/// with <c>package classical</c>, and a tiny random MusicFM export run through <c>eval</c> side by side.
/// </summary>
public sealed class GeneratedCorpusFixture : IAsyncLifetime, IDisposable
{
    public static readonly (string Id, string Artist, string Album, string Source)[] Tracks =
    [
        ("low-a", "Tonal", "Low", "sine=frequency=200:sample_rate=44100"),
        ("low-b", "Tonal", "Low", "sine=frequency=250:sample_rate=44100"),
        ("high-a", "Tonal", "High", "sine=frequency=2000:sample_rate=44100"),
        ("high-b", "Tonal", "High", "sine=frequency=2500:sample_rate=44100"),
        ("white-a", "Noisy", "White", "anoisesrc=color=white:amplitude=0.3:seed=1:sample_rate=44100"),
        ("white-b", "Noisy", "White", "anoisesrc=color=white:amplitude=0.1:seed=2:sample_rate=44100"),
        ("brown-a", "Noisy", "Brown", "anoisesrc=color=brown:amplitude=0.5:seed=3:sample_rate=44100"),
        ("brown-b", "Noisy", "Brown", "anoisesrc=color=brown:amplitude=0.2:seed=4:sample_rate=44100"),
    ];

    private readonly TemporaryDirectory _directory = new();

    public string Corpus => _directory.File("corpus");

    public string Classical => _directory.File("classical");

    public string Conformer => _directory.File("tiny");

    public string ReportDirectory => _directory.File("report");

    public string Output { get; private set; } = "";

    public EvalReport Report { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Corpus);
        await Task.WhenAll([
            ExternalTool.RunPythonModuleAsync("musicsearch_training.package", "export", "--config", "tiny", "--seed", "41", "--version", "tiny-eval", Conformer),
            .. Tracks.Select(t => ExternalTool.RunAsync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", $"{t.Source}:duration=6", Path.Combine(Corpus, t.Id + ".flac")])),
        ]);
        await File.WriteAllLinesAsync(Path.Combine(Corpus, "manifest.csv"),
            ["id,path,title,artist,album,duration_s", .. Tracks.Select(t => $"{t.Id},{t.Id}.flac,{t.Id},{t.Artist},{t.Album},6")]);

        var fit = await Cli.RunAsync("package", "classical", Path.Combine(Corpus, "manifest.csv"), Classical, "--version", "classical-eval", "--threads", "1");
        Assert.True(fit.Exit == 0, fit.Error + fit.Output);
        var run = await Cli.RunAsync("eval", Corpus, "--package", Classical, "--package", Conformer, "--out", ReportDirectory, "--threads", "1");
        Assert.True(run.Exit == 0, run.Error + run.Output);
        Output = run.Output;
        Report = EvalReportJson.Read(await File.ReadAllTextAsync(Path.Combine(ReportDirectory, ReportWriter.JsonFile)));
    }

    public ModelReport Model(string version) => Report.Models.Single(m => m.Version == version);

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _directory.Dispose();
}

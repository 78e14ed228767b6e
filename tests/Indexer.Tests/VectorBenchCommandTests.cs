using System.Text.Json;
using MusicSearch.Testing;

namespace MusicSearch.Indexer.Tests;

public sealed class VectorBenchCommandTests : IDisposable
{
    private readonly TemporaryDirectory _temporary = new();

    public void Dispose() => _temporary.Dispose();

    [Fact]
    public async Task Bench_vectors_reports_every_cell_against_faiss_and_the_measured_bandwidth()
    {
        var report = _temporary.File("vectors.json");
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await Program.BuildCommandLine(output, error)
            .Parse(["bench", "vectors", "--rows", "2001", "--dims", "64", "36", "--queries", "5", "--single-queries", "2", "--repeats", "1",
                "--threads", "2", "--bandwidth-mib", "64", "--json", report])
            .InvokeAsync();

        Assert.True(exit == 0, error.ToString());
        var text = output.ToString();
        Assert.Contains("memory read bandwidth, 2 thread(s)", text);
        Assert.Contains("FAISS flat", text);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        var root = json.RootElement;
        Assert.Equal([1, 2], root.GetProperty("Bandwidth").EnumerateArray().Select(b => b.GetProperty("Threads").GetInt32()));
        Assert.All(root.GetProperty("Bandwidth").EnumerateArray(), b => Assert.True(b.GetProperty("GigabytesPerSecond").GetDouble() > 0));

        var cells = root.GetProperty("Cells").EnumerateArray().ToArray();
        Assert.Equal(["2001×64", "2001×36"], cells.Select(c => $"{c.GetProperty("Rows").GetInt32()}×{c.GetProperty("Dimensions").GetInt32()}"));
        foreach (var cell in cells)
        {
            Assert.Contains($"{cell.GetProperty("Rows").GetInt32()}×{cell.GetProperty("Dimensions").GetInt32()}", text);
            Assert.True(cell.GetProperty("SingleEqualsBatched").GetBoolean());
            var recall = cell.GetProperty("Recall");
            // Small random sets: int8 with 4× oversampling finds nearly all; FAISS flat is exact up to float rounding.
            Assert.InRange(recall.GetProperty("OursInt8").GetDouble(), 0.95, 1);
            Assert.InRange(recall.GetProperty("FaissFlat").GetDouble(), 0.95, 1);
            Assert.InRange(recall.GetProperty("FaissSq8").GetDouble(), 0.5, 1);
            Assert.StartsWith("faiss 1.", cell.GetProperty("Faiss").GetProperty("Engine").GetString());
            var scans = cell.GetProperty("Scans").EnumerateArray().ToArray();
            Assert.Equal(["single/1", "batched/1", "single/2", "batched/2"], scans.Select(s => $"{s.GetProperty("Mode").GetString()}/{s.GetProperty("Threads").GetInt32()}"));
            foreach (var scan in scans)
            {
                foreach (var engine in new[] { "OursFp32", "OursInt8", "FaissFlat", "FaissSq8" })
                {
                    var timing = scan.GetProperty(engine);
                    Assert.True(timing.GetProperty("MillisecondsPerQuery").GetDouble() > 0, engine);
                    Assert.True(timing.GetProperty("GigabytesPerSecond").GetDouble() > 0, engine);
                    var perSecond = 1000 / timing.GetProperty("MillisecondsPerQuery").GetDouble();
                    Assert.Equal(perSecond, timing.GetProperty("QueriesPerSecond").GetDouble(), perSecond * 1e-9);
                }
                Assert.True(scan.GetProperty("Fp32VersusFaiss").GetDouble() > 0);
                Assert.True(scan.GetProperty("Int8VersusFaiss").GetDouble() > 0);
                Assert.True(scan.GetProperty("Int8SpeedUp").GetDouble() > 0);
            }
        }
    }

    [Fact]
    public async Task Bench_vectors_rejects_non_positive_sizes_with_exit_code_2()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await Program.BuildCommandLine(output, error).Parse(["bench", "vectors", "--rows", "0", "--no-faiss"]).InvokeAsync();
        Assert.Equal(2, exit);
        Assert.Contains("must be positive", error.ToString());
    }
}

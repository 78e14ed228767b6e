using MusicSearch.Core.Vectors;

namespace MusicSearch.Indexer.Commands.Bench;

/// <summary>Times <see cref="VectorSearch"/> on a matrix: the exact fp32 scan and int8 + fp32 rescoring, single and batched.</summary>
internal static class OurVectorScans
{
    private delegate int SingleSearch(ReadOnlySpan<float> query, Span<VectorMatch> results, VectorSearchOptions options);

    private delegate void BatchSearch(ReadOnlySpan<float> queries, Span<VectorMatch> results, Span<int> counts, VectorSearchOptions options);

    /// <summary>
    /// Both searches' timings, and whether every single-query search returned exactly what the batched search did for
    /// that query.
    /// </summary>
    public sealed record Result(ScanRun Fp32, ScanRun Int8, bool SingleEqualsBatched);

    /// <summary>
    /// Runs every search kind on a small matrix first, so the timed code is the fully optimised tier, not the
    /// first-call tier of the JIT.
    /// </summary>
    public static void WarmUp(int dimensions, VectorBenchSettings settings)
    {
        var matrix = RandomUnitVectors.Matrix(2048, dimensions, settings.Seed, 1, _ => { });
        matrix.EnableInt8Codes();
        var queries = RandomUnitVectors.Queries(4, dimensions, settings.Seed);
        var small = settings with { Repeats = 1, SingleQueries = 2 };
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 40; i++)
            {
                Measure(matrix, queries, small, _ => { });
            }
            // Tiered compilation promotes hot methods on a background thread after a short delay.
            Thread.Sleep(150);
        }
    }

    public static Result Measure(VectorMatrix matrix, float[] queries, VectorBenchSettings settings, Action<string> stage)
    {
        var k = settings.K;
        var oversample = settings.Oversample;
        var (fp32, fp32Equal) = Run(queries, matrix.Dimensions, settings, "fp32", stage,
            (query, results, options) => VectorSearch.Search(matrix, query, k, results, options),
            (batch, results, counts, options) => VectorSearch.SearchBatch(matrix, batch, k, results, counts, options));
        var (int8, int8Equal) = Run(queries, matrix.Dimensions, settings, "int8", stage,
            (query, results, options) => VectorSearch.SearchInt8(matrix, query, k, oversample, results, options),
            (batch, results, counts, options) => VectorSearch.SearchInt8Batch(matrix, batch, k, oversample, results, counts, options));
        return new Result(fp32, int8, fp32Equal && int8Equal);
    }

    private static (ScanRun Run, bool SingleEqualsBatched) Run(float[] queries, int dimensions, VectorBenchSettings settings, string name,
        Action<string> stage, SingleSearch single, BatchSearch batch)
    {
        var k = settings.K;
        var count = queries.Length / dimensions;
        var singles = Math.Min(settings.SingleQueries, count);
        var singleResults = new VectorMatch[singles * k];
        var singleCounts = new int[singles];
        var batchResults = new VectorMatch[count * k];
        var batchCounts = new int[count];
        var seconds = new List<ScanSeconds>();
        var equal = true;
        foreach (var threads in settings.ThreadCounts)
        {
            var options = new VectorSearchOptions { Threads = threads };
            stage($"ours {name}, single queries, {threads} thread(s)");
            // One query warms up (a whole extra pass would double the longest part of the run).
            single(queries.AsSpan(0, dimensions), singleResults, options);
            var singleSeconds = Timing.Best(() =>
            {
                for (var q = 0; q < singles; q++)
                {
                    singleCounts[q] = single(queries.AsSpan(q * dimensions, dimensions), singleResults.AsSpan(q * k, k), options);
                }
            }, settings.Repeats, warmUp: false);
            stage($"ours {name}, batched, {threads} thread(s)");
            var batchSeconds = Timing.Best(() => batch(queries, batchResults, batchCounts, options), settings.Repeats);
            seconds.Add(new ScanSeconds(threads, singleSeconds / singles, batchSeconds));
            for (var q = 0; q < singles; q++)
            {
                equal &= singleCounts[q] == batchCounts[q]
                    && singleResults.AsSpan(q * k, singleCounts[q]).SequenceEqual(batchResults.AsSpan(q * k, batchCounts[q]));
            }
        }
        var ids = new int[count][];
        for (var q = 0; q < count; q++)
        {
            ids[q] = [.. batchResults.AsSpan(q * k, batchCounts[q]).ToArray().Select(m => m.Row)];
        }
        return (new ScanRun(seconds, ids), equal);
    }
}

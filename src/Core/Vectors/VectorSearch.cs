namespace MusicSearch.Core.Vectors;

/// <summary>
/// Exact top-k cosine search over a <see cref="VectorMatrix"/>: queries are normalised, scored by inner product against
/// every admitted row, and returned by descending score with ties broken by ascending row. Results go to the caller's
/// span and working memory is per-thread scratch reused across calls, so a single-threaded search allocates nothing in
/// steady state (multi-threaded searches allocate only the small task bookkeeping of <see cref="Parallel"/>).
/// </summary>
public static class VectorSearch
{
    // Below this many row scorings per thread (rows × queries) the fork/join costs more than the scan it splits.
    private const int MinScoringsPerThread = 16384;

    // Rows per batched block: about 256 KiB, so a block stays in L2 while every query group passes over it.
    private const int BlockBytes = 256 * 1024;

    [ThreadStatic]
    private static Scratch? t_caller;

    [ThreadStatic]
    private static Scratch? t_worker;

    /// <summary>The top <paramref name="k"/> rows for one query; returns how many were written to <paramref name="results"/>.</summary>
    public static int Search(VectorMatrix matrix, ReadOnlySpan<float> query, int k, Span<VectorMatch> results, VectorSearchOptions? options = null)
    {
        var counts = (Span<int>)stackalloc int[1];
        SearchBatch(matrix, query, k, results, counts, options);
        return counts[0];
    }

    /// <summary>
    /// The top <paramref name="k"/> rows for each of <c>queries.Length / Dimensions</c> queries, laid out back to back.
    /// Query <c>i</c>'s matches go to <c>results[(i * k)..]</c> and their number to <c>counts[i]</c>. The matrix is
    /// scanned in cache-sized blocks, each read from memory once for all the queries.
    /// </summary>
    public static void SearchBatch(VectorMatrix matrix, ReadOnlySpan<float> queries, int k, Span<VectorMatch> results, Span<int> counts,
        VectorSearchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        options ??= VectorSearchOptions.Default;
        var dimensions = matrix.Dimensions;
        if (queries.Length == 0 || queries.Length % dimensions != 0)
        {
            throw new ArgumentException($"expected one or more queries of {dimensions} dimensions, got {queries.Length} values", nameof(queries));
        }
        var queryCount = queries.Length / dimensions;
        if (counts.Length < queryCount || results.Length < (queryCount - 1) * k + Math.Min(k, matrix.Count))
        {
            throw new ArgumentException($"results must hold {k} matches and counts one entry per query ({queryCount})", nameof(results));
        }
        var scratch = t_caller ??= new Scratch();
        var normalised = scratch.Queries(queryCount * matrix.Stride);
        for (var q = 0; q < queryCount; q++)
        {
            var query = queries.Slice(q * dimensions, dimensions);
            VectorMath.CheckVector(query, dimensions, nameof(queries));
            VectorMath.Normalise(query, normalised.AsSpan(q * matrix.Stride, matrix.Stride), nameof(queries));
        }
        var kept = Math.Min(k, matrix.Count);
        if (kept == 0)
        {
            counts[..queryCount].Clear();
            return;
        }

        var heaps = scratch.Heaps(queryCount * kept);
        var heapCounts = scratch.Counts(queryCount);
        var parts = Partitions(matrix.Count, queryCount, options.Threads);
        if (parts == 1)
        {
            ScanFloat(matrix, normalised, queryCount, 0, matrix.Count, heaps, heapCounts, kept, options);
        }
        else
        {
            var partHeaps = scratch.Merge(parts * queryCount * kept);
            var partCounts = scratch.MergeCounts(parts * queryCount);
            ScanFloatParallel(matrix, normalised, queryCount, parts, partHeaps, partCounts, kept, options);
            for (var q = 0; q < queryCount; q++)
            {
                var heap = heaps.AsSpan(q * kept, kept);
                var count = 0;
                for (var part = 0; part < parts; part++)
                {
                    var offered = partHeaps.AsSpan((part * queryCount + q) * kept, partCounts[part * queryCount + q]);
                    foreach (var match in offered)
                    {
                        TopK.Offer(heap, ref count, match);
                    }
                }
                heapCounts[q] = count;
            }
        }
        for (var q = 0; q < queryCount; q++)
        {
            var found = heaps.AsSpan(q * kept, heapCounts[q]);
            TopK.SortDescending(found);
            found.CopyTo(results[(q * k)..]);
            counts[q] = found.Length;
        }
    }

    /// <summary>
    /// Approximate-then-exact search through the int8 codes (see <see cref="VectorMatrix.EnableInt8Codes"/>): integer dot
    /// products pick the best <c>k × oversample</c> candidates, which are then rescored in fp32; the minimum score
    /// applies to the exact scores. Returns how many matches were written.
    /// </summary>
    public static int SearchInt8(VectorMatrix matrix, ReadOnlySpan<float> query, int k, int oversample, Span<VectorMatch> results,
        VectorSearchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(oversample);
        options ??= VectorSearchOptions.Default;
        VectorMath.CheckVector(query, matrix.Dimensions, nameof(query));
        var codes = matrix.Codes;
        var kept = Math.Min(k, matrix.Count);
        if (results.Length < kept)
        {
            throw new ArgumentException($"results must hold {kept} matches", nameof(results));
        }
        var scratch = t_caller ??= new Scratch();
        var normalised = scratch.Queries(matrix.Stride);
        VectorMath.Normalise(query, normalised, nameof(query));
        if (kept == 0)
        {
            return 0;
        }
        var quantised = scratch.Int16Query(matrix.CodeStride);
        Quantise(matrix, normalised, quantised);

        var candidateCount = (int)Math.Min((long)kept * oversample, matrix.Count);
        var candidates = scratch.Heaps(candidateCount);
        var found = 0;
        var parts = Partitions(matrix.Count, 1, options.Threads);
        if (parts == 1)
        {
            found = ScanInt8(matrix, codes, quantised, 0, matrix.Count, candidates.AsSpan(0, candidateCount), options);
        }
        else
        {
            var partHeaps = scratch.Merge(parts * candidateCount);
            var partCounts = scratch.MergeCounts(parts);
            ScanInt8Parallel(matrix, codes, quantised, parts, partHeaps, partCounts, candidateCount, options);
            for (var part = 0; part < parts; part++)
            {
                foreach (var match in partHeaps.AsSpan(part * candidateCount, partCounts[part]))
                {
                    TopK.Offer(candidates.AsSpan(0, candidateCount), ref found, match);
                }
            }
        }

        var best = scratch.Merge(kept + (parts == 1 ? 0 : parts * candidateCount)).AsSpan(parts == 1 ? 0 : parts * candidateCount, kept);
        var count = 0;
        ref var query0 = ref VectorMath.At(normalised, 0);
        foreach (var candidate in candidates.AsSpan(0, found))
        {
            var score = VectorMath.Dot(ref query0, ref VectorMath.At(matrix.Values, candidate.Row * matrix.Stride), matrix.Stride);
            if (score >= options.MinScore)
            {
                TopK.Offer(best, ref count, new VectorMatch(candidate.Row, score));
            }
        }
        var sorted = best[..count];
        TopK.SortDescending(sorted);
        sorted.CopyTo(results);
        return count;
    }

    // A batch splits smaller matrices than one query does: its work per row grows with the queries.
    private static int Partitions(int rows, int queries, int threads) =>
        (int)Math.Clamp(Math.Min(Math.Min(threads, rows), (long)rows * queries / MinScoringsPerThread), 1, Math.Max(1, threads));

    private static int Start(int rows, int parts, int part) => (int)((long)rows * part / parts);

    // Kept apart from the callers so the lambda's closure is only allocated when threads are actually used.
    private static void ScanFloatParallel(VectorMatrix matrix, float[] normalised, int queryCount, int parts, VectorMatch[] partHeaps,
        int[] partCounts, int kept, VectorSearchOptions options)
    {
        var rows = matrix.Count;
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            var worker = t_worker ??= new Scratch();
            var workerHeaps = worker.Heaps(queryCount * kept);
            var workerCounts = worker.Counts(queryCount);
            ScanFloat(matrix, normalised, queryCount, Start(rows, parts, part), Start(rows, parts, part + 1), workerHeaps, workerCounts, kept, options);
            workerHeaps.AsSpan(0, queryCount * kept).CopyTo(partHeaps.AsSpan(part * queryCount * kept));
            workerCounts.AsSpan(0, queryCount).CopyTo(partCounts.AsSpan(part * queryCount));
        });
    }

    private static void ScanInt8Parallel(VectorMatrix matrix, sbyte[] codes, short[] quantised, int parts, VectorMatch[] partHeaps, int[] partCounts,
        int candidateCount, VectorSearchOptions options)
    {
        var rows = matrix.Count;
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            var heap = partHeaps.AsSpan(part * candidateCount, candidateCount);
            partCounts[part] = ScanInt8(matrix, codes, quantised, Start(rows, parts, part), Start(rows, parts, part + 1), heap, options);
        });
    }

    private static void ScanFloat(VectorMatrix matrix, float[] queries, int queryCount, int start, int end, VectorMatch[] heaps, int[] heapCounts,
        int kept, VectorSearchOptions options)
    {
        var stride = matrix.Stride;
        var values = matrix.Values;
        var minScore = options.MinScore;
        var filters = options.Filters;
        heapCounts.AsSpan(0, queryCount).Clear();
        var blockRows = queryCount == 1 ? end - start : Math.Max(1, BlockBytes / (stride * sizeof(float)));
        Span<float> scores = stackalloc float[4];
        for (var blockStart = start; blockStart < end; blockStart += blockRows)
        {
            var blockEnd = Math.Min(end, blockStart + blockRows);
            for (var q = 0; q < queryCount; q += 4)
            {
                var group = Math.Min(4, queryCount - q);
                for (var row = blockStart; row < blockEnd; row++)
                {
                    if (filters && !options.Admits(row))
                    {
                        continue;
                    }
                    ref var rowValues = ref VectorMath.At(values, row * stride);
                    if (group == 4)
                    {
                        VectorMath.Dot4(ref rowValues, ref VectorMath.At(queries, q * stride), stride, stride, scores);
                    }
                    else
                    {
                        for (var j = 0; j < group; j++)
                        {
                            scores[j] = VectorMath.Dot(ref rowValues, ref VectorMath.At(queries, (q + j) * stride), stride);
                        }
                    }
                    for (var j = 0; j < group; j++)
                    {
                        var heap = heaps.AsSpan((q + j) * kept, kept);
                        ref var count = ref heapCounts[q + j];
                        if (scores[j] >= minScore && scores[j] > TopK.Threshold(heap, count))
                        {
                            TopK.Offer(heap, ref count, new VectorMatch(row, scores[j]));
                        }
                    }
                }
            }
        }
    }

    private static int ScanInt8(VectorMatrix matrix, sbyte[] codes, short[] query, int start, int end, Span<VectorMatch> heap, VectorSearchOptions options)
    {
        var stride = matrix.CodeStride;
        var filters = options.Filters;
        ref var q = ref query[0];
        var count = 0;
        var threshold = float.NegativeInfinity;
        for (var row = start; row < end; row++)
        {
            if (filters && !options.Admits(row))
            {
                continue;
            }
            float score = VectorMath.DotInt8(ref VectorMath.At(codes, row * stride), ref q, stride);
            if (score > threshold)
            {
                TopK.Offer(heap, ref count, new VectorMatch(row, score));
                threshold = TopK.Threshold(heap, count);
            }
        }
        return count;
    }

    /// <summary>
    /// Folds the per-dimension code scales into the query and rounds it to int16, as large as the int32 accumulator
    /// allows: with symmetric codes, Σ q·x ≈ Σ (q/s)·c, so the integer product ranks rows like the float one.
    /// </summary>
    private static void Quantise(VectorMatrix matrix, float[] normalised, short[] quantised)
    {
        var scales = matrix.CodeScales;
        var largest = 0f;
        for (var d = 0; d < scales.Length; d++)
        {
            if (scales[d] > 0)
            {
                largest = Math.Max(largest, Math.Abs(normalised[d] / scales[d]));
            }
        }
        var limit = (float)Math.Min(short.MaxValue, int.MaxValue / (127.0 * matrix.CodeStride));
        var factor = largest > 0 ? limit / largest : 0f;
        Array.Clear(quantised);
        for (var d = 0; d < scales.Length; d++)
        {
            quantised[d] = scales[d] > 0 ? (short)MathF.Round(normalised[d] / scales[d] * factor) : (short)0;
        }
    }

    /// <summary>Per-thread working memory, grown on demand and kept for the thread's next search.</summary>
    private sealed class Scratch
    {
        private float[] _queries = [];
        private short[] _int16Query = [];
        private VectorMatch[] _heaps = [];
        private VectorMatch[] _merge = [];
        private int[] _counts = [];
        private int[] _mergeCounts = [];

        public float[] Queries(int length) => Grow(ref _queries, length);

        public short[] Int16Query(int length) => _int16Query.Length == length ? _int16Query : _int16Query = new short[length];

        public VectorMatch[] Heaps(int length) => Grow(ref _heaps, length);

        public VectorMatch[] Merge(int length) => Grow(ref _merge, length);

        public int[] Counts(int length) => Grow(ref _counts, length);

        public int[] MergeCounts(int length) => Grow(ref _mergeCounts, length);

        private static T[] Grow<T>(ref T[] array, int length)
        {
            if (array.Length < length)
            {
                array = new T[length];
            }
            return array;
        }
    }
}

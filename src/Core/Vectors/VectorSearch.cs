using System.Numerics;
using System.Runtime.Intrinsics;

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

    // Rows per block of a batched scan: about 256 KiB, so a block stays in L2 while every query block passes over it.
    private const int BlockBytes = 256 * 1024;

    // Queries per block of a batched scan: about 128 KiB, read from L2 for each tile of four rows (held in L1).
    private const int QueryBlockBytes = 128 * 1024;

    // Contiguous bytes each of a single-query scan's four read streams covers before moving on (see ScanStream).
    private const int StreamRunBytes = 32 * 1024;

    [ThreadStatic]
    private static Scratch? t_caller;

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
        options ??= VectorSearchOptions.Default;
        var scratch = t_caller ??= new Scratch();
        var queryCount = Prepare(matrix, queries, k, results, counts, scratch, out var normalised);
        var kept = Math.Min(k, matrix.Count);
        if (kept == 0)
        {
            counts[..queryCount].Clear();
            return;
        }
        var (heaps, heapCounts) = Scan(new FloatKernel(matrix, normalised), matrix.Count, queryCount, kept, options.MinScore, options, scratch);
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
        var counts = (Span<int>)stackalloc int[1];
        SearchInt8Batch(matrix, query, k, oversample, results, counts, options);
        return counts[0];
    }

    /// <summary>
    /// <see cref="SearchInt8"/> for several queries laid out back to back, with the results placed as by
    /// <see cref="SearchBatch"/>: the codes are scanned in cache-sized blocks, each read from memory once for all queries.
    /// </summary>
    public static void SearchInt8Batch(VectorMatrix matrix, ReadOnlySpan<float> queries, int k, int oversample, Span<VectorMatch> results,
        Span<int> counts, VectorSearchOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(oversample);
        options ??= VectorSearchOptions.Default;
        var scratch = t_caller ??= new Scratch();
        var queryCount = Prepare(matrix, queries, k, results, counts, scratch, out var normalised);
        var codes = matrix.Codes;
        var kept = Math.Min(k, matrix.Count);
        if (kept == 0)
        {
            counts[..queryCount].Clear();
            return;
        }
        var quantised = scratch.Int8Queries(queryCount * matrix.CodeStride);
        var offsets = scratch.Int8Offsets(queryCount);
        for (var q = 0; q < queryCount; q++)
        {
            offsets[q] = Quantise(matrix, normalised.AsSpan(q * matrix.Stride, matrix.Dimensions), quantised.AsSpan(q * matrix.CodeStride, matrix.CodeStride));
        }

        var candidateCount = (int)Math.Min((long)kept * oversample, matrix.Count);
        var (candidates, candidateCounts) = Scan(new Int8Kernel(matrix, codes, quantised, offsets), matrix.Count, queryCount, candidateCount,
            float.NegativeInfinity, options, scratch);
        var best = scratch.Rescored(kept).AsSpan(0, kept);
        for (var q = 0; q < queryCount; q++)
        {
            ref var query = ref VectorMath.At(normalised, q * matrix.Stride);
            var count = 0;
            foreach (var candidate in candidates.AsSpan(q * candidateCount, candidateCounts[q]))
            {
                var score = VectorMath.Dot(ref query, ref VectorMath.At(matrix.Values, candidate.Row * matrix.Stride), matrix.Stride);
                if (score >= options.MinScore)
                {
                    TopK.Offer(best, ref count, new VectorMatch(candidate.Row, score));
                }
            }
            var sorted = best[..count];
            TopK.SortDescending(sorted);
            sorted.CopyTo(results[(q * k)..]);
            counts[q] = count;
        }
    }

    /// <summary>Checks a batch's arguments and writes its normalised queries to the scratch; returns the number of queries.</summary>
    private static int Prepare(VectorMatrix matrix, ReadOnlySpan<float> queries, int k, Span<VectorMatch> results, Span<int> counts, Scratch scratch,
        out float[] normalised)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        var dimensions = matrix.Dimensions;
        if (queries.Length == 0 || queries.Length % dimensions != 0)
        {
            throw new ArgumentException($"expected one or more queries of {dimensions} dimensions, got {queries.Length} values", nameof(queries));
        }
        var queryCount = queries.Length / dimensions;
        if (counts.Length < queryCount || results.Length < ((queryCount - 1) * k) + Math.Min(k, matrix.Count))
        {
            throw new ArgumentException($"results must hold {k} matches and counts one entry per query ({queryCount})", nameof(results));
        }
        normalised = scratch.Queries(queryCount * matrix.Stride);
        for (var q = 0; q < queryCount; q++)
        {
            var query = queries.Slice(q * dimensions, dimensions);
            VectorMath.CheckVector(query, dimensions, nameof(queries));
            VectorMath.Normalise(query, normalised.AsSpan(q * matrix.Stride, matrix.Stride), nameof(queries));
        }
        return queryCount;
    }

    /// <summary>
    /// Scans every row for every query into heaps of <paramref name="perQuery"/> matches each (unsorted; counts
    /// alongside), in the scratch: threads take disjoint row ranges with heaps of their own, merged at the end.
    /// </summary>
    private static (VectorMatch[] Heaps, int[] Counts) Scan<TKernel>(TKernel kernel, int rows, int queryCount, int perQuery, float minScore,
        VectorSearchOptions options, Scratch scratch)
        where TKernel : struct, IScanKernel
    {
        var heaps = scratch.Heaps(queryCount * perQuery);
        var heapCounts = scratch.Counts(queryCount);
        var parts = Partitions(rows, queryCount, options.Threads);
        if (parts == 1)
        {
            ScanRange(kernel, queryCount, 0, rows, heaps, heapCounts, perQuery, minScore, options);
            return (heaps, heapCounts);
        }
        var partHeaps = scratch.Merge(parts * queryCount * perQuery);
        var partCounts = scratch.MergeCounts(parts * queryCount);
        ScanParallel(kernel, rows, queryCount, parts, partHeaps, partCounts, perQuery, minScore, options);
        for (var q = 0; q < queryCount; q++)
        {
            var heap = heaps.AsSpan(q * perQuery, perQuery);
            var count = 0;
            for (var part = 0; part < parts; part++)
            {
                var offered = partHeaps.AsSpan(((part * queryCount) + q) * perQuery, partCounts[(part * queryCount) + q]);
                foreach (var match in offered)
                {
                    TopK.Offer(heap, ref count, match);
                }
            }
            heapCounts[q] = count;
        }
        return (heaps, heapCounts);
    }

    private static int Partitions(int rows, int queryCount, int threads) =>
        (int)Math.Clamp(Math.Min(threads, (long)rows * queryCount / MinScoringsPerThread), 1, Math.Max(1, threads));

    private static int Start(int rows, int parts, int part) => (int)((long)rows * part / parts);

    // Kept apart from the callers so the lambda's closure is only allocated when threads are actually used.
    private static void ScanParallel<TKernel>(TKernel kernel, int rows, int queryCount, int parts, VectorMatch[] partHeaps, int[] partCounts,
        int perQuery, float minScore, VectorSearchOptions options)
        where TKernel : struct, IScanKernel
    {
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            var heaps = partHeaps.AsSpan(part * queryCount * perQuery, queryCount * perQuery);
            var counts = partCounts.AsSpan(part * queryCount, queryCount);
            ScanRange(kernel, queryCount, Start(rows, parts, part), Start(rows, parts, part + 1), heaps, counts, perQuery, minScore, options);
        });
    }

    /// <summary>
    /// Rows [<paramref name="start"/>, <paramref name="end"/>) against every query, in tiles of four rows × up to
    /// <see cref="IScanKernel.TileQueries"/> queries. A batch goes block by block (rows in L2, each four-row tile in L1
    /// while every query of the query block passes over it), so memory is read once per batch.
    /// </summary>
    private static void ScanRange<TKernel>(TKernel kernel, int queryCount, int start, int end, Span<VectorMatch> heaps, Span<int> heapCounts,
        int perQuery, float minScore, VectorSearchOptions options)
        where TKernel : struct, IScanKernel
    {
        heapCounts[..queryCount].Clear();
        if (queryCount == 1)
        {
            ScanStream(kernel, start, end, heaps[..perQuery], ref heapCounts[0], minScore, options);
            return;
        }
        var blockRows = Math.Max(4, (BlockBytes / kernel.VectorBytes) & ~3);
        var queryBlock = Math.Max(1, QueryBlockBytes / kernel.VectorBytes / kernel.TileQueries) * kernel.TileQueries;
        var filters = options.Filters;
        var width = kernel.TileQueries;
        Span<Vector128<float>> tile = stackalloc Vector128<float>[width];
        for (var blockStart = start; blockStart < end; blockStart += blockRows)
        {
            var blockEnd = (int)Math.Min(end, (long)blockStart + blockRows);
            for (var first = 0; first < queryCount; first += queryBlock)
            {
                var last = Math.Min(queryCount, first + queryBlock);
                var row = blockStart;
                for (; row <= blockEnd - 4; row += 4)
                {
                    var admitted = filters ? Admitted(options, row, 1) : 0b1111u;
                    if (admitted == 0)
                    {
                        continue;
                    }
                    for (var q = first; q < last; q += width)
                    {
                        var scored = Math.Min(width, last - q);
                        kernel.Score4(row, 1, q, tile[..scored]);
                        for (var j = 0; j < scored; j++)
                        {
                            Collect(tile[j], row, 1, admitted, minScore, heaps.Slice((q + j) * perQuery, perQuery), ref heapCounts[q + j]);
                        }
                    }
                }
                for (; row < blockEnd; row++)
                {
                    for (var q = first; q < last; q++)
                    {
                        CollectOne(kernel, row, q, minScore, options, heaps.Slice(q * perQuery, perQuery), ref heapCounts[q]);
                    }
                }
            }
        }
    }

    /// <summary>
    /// One query over rows [<paramref name="start"/>, <paramref name="end"/>): a memory-bound stream. Each tile takes
    /// four rows a group apart (a group: the rows in <see cref="StreamRunBytes"/>), so the four interleaved read streams
    /// each run through whole pages before moving on. Hardware prefetchers track streams per page: four consecutive
    /// short rows (streams sharing pages) read 30–50 % slower here than one stream, 32 KiB runs 15–30 % faster.
    /// </summary>
    private static void ScanStream<TKernel>(TKernel kernel, int start, int end, Span<VectorMatch> heap, ref int count, float minScore,
        VectorSearchOptions options)
        where TKernel : struct, IScanKernel
    {
        var group = Math.Max(1, (StreamRunBytes + kernel.VectorBytes - 1) / kernel.VectorBytes);
        var filters = options.Filters;
        Span<Vector128<float>> scores = stackalloc Vector128<float>[1];
        var row = start;
        for (; row <= end - (4 * group); row += 4 * group)
        {
            for (var first = row; first < row + group; first++)
            {
                var admitted = filters ? Admitted(options, first, group) : 0b1111u;
                if (admitted != 0)
                {
                    kernel.Score4(first, group, 0, scores);
                    Collect(scores[0], first, group, admitted, minScore, heap, ref count);
                }
            }
        }
        for (; row < end; row++)
        {
            CollectOne(kernel, row, 0, minScore, options, heap, ref count);
        }
    }

    /// <summary>Scores one row (a tail row) against one query and offers it.</summary>
    private static void CollectOne<TKernel>(TKernel kernel, int row, int query, float minScore, VectorSearchOptions options, Span<VectorMatch> heap,
        ref int count)
        where TKernel : struct, IScanKernel
    {
        if (options.Filters && !options.Admits(row))
        {
            return;
        }
        var score = kernel.Score(row, query);
        if (score >= minScore && score >= TopK.Threshold(heap, count))
        {
            TopK.Offer(heap, ref count, new VectorMatch(row, score));
        }
    }

    /// <summary>Which of the rows <paramref name="row"/> + i · <paramref name="step"/> (i = 0 … 3) the filters admit, as bits 0 … 3.</summary>
    private static uint Admitted(VectorSearchOptions options, int row, int step)
    {
        var mask = 0u;
        for (var i = 0; i < 4; i++)
        {
            if (options.Admits(row + (i * step)))
            {
                mask |= 1u << i;
            }
        }
        return mask;
    }

    /// <summary>
    /// Offers the admitted rows of a tile (lane i is row <paramref name="row"/> + i · <paramref name="step"/>) that reach
    /// the heap's threshold and the minimum score. One vector compare rejects the common case (nothing reaches the k-th
    /// best so far) without touching the heap.
    /// </summary>
    private static void Collect(Vector128<float> scores, int row, int step, uint admitted, float minScore, Span<VectorMatch> heap, ref int count)
    {
        var better = Vector128.GreaterThanOrEqual(scores, Vector128.Create(TopK.Threshold(heap, count)))
            & Vector128.GreaterThanOrEqual(scores, Vector128.Create(minScore));
        var lanes = better.ExtractMostSignificantBits() & admitted;
        while (lanes != 0)
        {
            var lane = BitOperations.TrailingZeroCount(lanes);
            lanes &= lanes - 1;
            // Offer re-checks against the heap as it is now: an earlier lane of this tile may have raised the bar.
            TopK.Offer(heap, ref count, new VectorMatch(row + (lane * step), scores.GetElement(lane)));
        }
    }

    /// <summary>
    /// Folds the per-dimension code scales into the query and rounds it to ±<see cref="VectorMath.QueryLimit"/> (less
    /// for dimensions so large that the int32 accumulator could overflow): with symmetric codes, Σ q·x ≈ Σ (q/s)·c, so
    /// the integer product ranks rows like the float one. Five bits of query magnitude cost no recall on random unit
    /// vectors at 4× oversampling (the candidates are rescored exactly) and let the kernel sum two steps in int16.
    /// Returns the constant 128 · Σ q that the kernel's unsigned codes add to every score.
    /// </summary>
    private static int Quantise(VectorMatrix matrix, ReadOnlySpan<float> query, Span<sbyte> quantised)
    {
        var scales = matrix.CodeScales;
        var largest = 0f;
        for (var d = 0; d < scales.Length; d++)
        {
            if (scales[d] > 0)
            {
                largest = Math.Max(largest, Math.Abs(query[d] / scales[d]));
            }
        }
        var limit = (float)Math.Max(1, Math.Min(VectorMath.QueryLimit, int.MaxValue / (255.0 * matrix.CodeStride)));
        var factor = largest > 0 ? limit / largest : 0f;
        quantised.Clear();
        var sum = 0;
        for (var d = 0; d < scales.Length; d++)
        {
            var value = scales[d] > 0 ? (int)Math.Clamp(MathF.Round(query[d] / scales[d] * factor), -limit, limit) : 0;
            quantised[d] = (sbyte)value;
            sum += value;
        }
        return 128 * sum;
    }

    /// <summary>Scores for the scan: a tile of four rows against up to <see cref="TileQueries"/> queries, and a single row (the tail).</summary>
    private interface IScanKernel
    {
        /// <summary>Bytes of one row (and of one query) as the kernel reads it, for sizing blocks.</summary>
        int VectorBytes { get; }

        /// <summary>The most queries one tile scores at once.</summary>
        int TileQueries { get; }

        /// <summary>
        /// Rows <paramref name="row"/> + i · <paramref name="rowStep"/> (i = 0 … 3) against queries <paramref name="query"/> …
        /// + <c>scores.Length</c> − 1.
        /// </summary>
        void Score4(int row, int rowStep, int query, Span<Vector128<float>> scores);

        float Score(int row, int query);
    }

    private readonly struct FloatKernel(VectorMatrix matrix, float[] queries) : IScanKernel
    {
        private readonly float[] _values = matrix.Values;
        private readonly int _stride = matrix.Stride;

        public int VectorBytes => _stride * sizeof(float);

        public int TileQueries => 3;

        public void Score4(int row, int rowStep, int query, Span<Vector128<float>> scores)
        {
            ref var rows = ref VectorMath.At(_values, row * _stride);
            ref var first = ref VectorMath.At(queries, query * _stride);
            var rowStride = rowStep * _stride;
            switch (scores.Length)
            {
                case 3:
                    VectorMath.Dot4x3(ref rows, rowStride, ref first, ref VectorMath.At(queries, (query + 1) * _stride),
                        ref VectorMath.At(queries, (query + 2) * _stride), _stride, out scores[0], out scores[1], out scores[2]);
                    break;
                case 2:
                    VectorMath.Dot4x2(ref rows, rowStride, ref first, ref VectorMath.At(queries, (query + 1) * _stride), _stride, out scores[0], out scores[1]);
                    break;
                default:
                    scores[0] = VectorMath.Dot4x1(ref rows, rowStride, ref first, _stride);
                    break;
            }
        }

        public float Score(int row, int query) =>
            VectorMath.Dot(ref VectorMath.At(_values, row * _stride), ref VectorMath.At(queries, query * _stride), _stride);
    }

    /// <summary>
    /// Integer scores Σ c · q (the kernel's Σ (c + 128) · q less the query's offset), converted to float for the shared
    /// heap: exact up to 2^24, beyond which the order is approximate anyway.
    /// </summary>
    private readonly struct Int8Kernel(VectorMatrix matrix, byte[] codes, sbyte[] queries, int[] offsets) : IScanKernel
    {
        private readonly int _stride = matrix.CodeStride;

        public int VectorBytes => _stride;

        public int TileQueries => 2;

        public void Score4(int row, int rowStep, int query, Span<Vector128<float>> scores)
        {
            ref var rows = ref VectorMath.At(codes, row * _stride);
            var rowStride = rowStep * _stride;
            if (scores.Length == 2)
            {
                VectorMath.Int8Dot4x2(ref rows, rowStride, ref VectorMath.At(queries, query * _stride), ref VectorMath.At(queries, (query + 1) * _stride),
                    _stride, out var integers0, out var integers1);
                scores[0] = Vector128.ConvertToSingle(integers0 - Vector128.Create(offsets[query]));
                scores[1] = Vector128.ConvertToSingle(integers1 - Vector128.Create(offsets[query + 1]));
            }
            else
            {
                scores[0] = Vector128.ConvertToSingle(VectorMath.Int8Dot4x1(ref rows, rowStride, ref VectorMath.At(queries, query * _stride), _stride)
                    - Vector128.Create(offsets[query]));
            }
        }

        public float Score(int row, int query) =>
            VectorMath.Int8Dot(ref VectorMath.At(codes, row * _stride), ref VectorMath.At(queries, query * _stride), _stride) - offsets[query];
    }

    /// <summary>Per-thread working memory, grown on demand and kept for the thread's next search.</summary>
    private sealed class Scratch
    {
        private float[] _queries = [];
        private sbyte[] _int8Queries = [];
        private int[] _int8Offsets = [];
        private VectorMatch[] _heaps = [];
        private VectorMatch[] _merge = [];
        private VectorMatch[] _rescored = [];
        private int[] _counts = [];
        private int[] _mergeCounts = [];

        public float[] Queries(int length) => Grow(ref _queries, length);

        public sbyte[] Int8Queries(int length) => Grow(ref _int8Queries, length);

        public int[] Int8Offsets(int length) => Grow(ref _int8Offsets, length);

        public VectorMatch[] Heaps(int length) => Grow(ref _heaps, length);

        public VectorMatch[] Merge(int length) => Grow(ref _merge, length);

        public VectorMatch[] Rescored(int length) => Grow(ref _rescored, length);

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

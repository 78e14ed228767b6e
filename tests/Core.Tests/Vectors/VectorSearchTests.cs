using MusicSearch.Core.Vectors;

namespace MusicSearch.Core.Tests.Vectors;

public sealed class VectorSearchTests
{
    private static VectorMatrix RandomMatrix(int rows, int dimensions, int seed, out float[] raw)
    {
        var random = new Random(seed);
        var matrix = new VectorMatrix(dimensions);
        raw = new float[rows * dimensions];
        for (var i = 0; i < raw.Length; i++)
        {
            raw[i] = (float)((random.NextDouble() * 2) - 1);
        }
        for (var r = 0; r < rows; r++)
        {
            matrix.Add(raw.AsSpan(r * dimensions, dimensions));
        }
        return matrix;
    }

    private static float[] RandomVector(Random random, int dimensions)
    {
        var v = new float[dimensions];
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = (float)((random.NextDouble() * 2) - 1);
        }
        return v;
    }

    private static List<int> Reference(float[] raw, int dimensions, float[] query, int k)
    {
        static double Norm(ReadOnlySpan<float> v)
        {
            var s = 0.0;
            foreach (var x in v)
            {
                s += (double)x * x;
            }
            return Math.Sqrt(s);
        }
        var rows = raw.Length / dimensions;
        var scores = new List<(int Row, double Score)>();
        for (var r = 0; r < rows; r++)
        {
            var row = raw.AsSpan(r * dimensions, dimensions);
            var dot = 0.0;
            for (var d = 0; d < dimensions; d++)
            {
                dot += (double)row[d] * query[d];
            }
            scores.Add((r, dot / Norm(row) / Norm(query)));
        }
        return [.. scores.OrderByDescending(s => s.Score).ThenBy(s => s.Row).Take(k).Select(s => s.Row)];
    }

    [Theory]
    [InlineData(1, 3, 5)]
    [InlineData(37, 13, 10)]
    [InlineData(500, 384, 10)]
    [InlineData(1003, 100, 2000)]
    public void Exact_top_k_equals_a_double_precision_brute_force(int rows, int dimensions, int k)
    {
        var matrix = RandomMatrix(rows, dimensions, rows + dimensions, out var raw);
        var random = new Random(7);
        var results = new VectorMatch[k];
        for (var q = 0; q < 5; q++)
        {
            var query = RandomVector(random, dimensions);
            var count = VectorSearch.Search(matrix, query, k, results);
            Assert.Equal(Math.Min(k, rows), count);
            Assert.Equal(Reference(raw, dimensions, query, k), results.Take(count).Select(m => m.Row));
            for (var i = 1; i < count; i++)
            {
                Assert.True(results[i - 1].Score >= results[i].Score);
            }
        }
    }

    /// <summary>Normalised exactly as the search normalises a query (a matrix row goes through the same code).</summary>
    private static float[] Normalised(float[] vector)
    {
        var matrix = new VectorMatrix(vector.Length);
        matrix.Add(vector);
        return matrix.Row(0).ToArray();
    }

    /// <summary>
    /// The whole search spelt out with scalar loops: every admitted row scored in the documented order (zero padding to
    /// the stride included), the minimum score applied, sorted by score then row.
    /// </summary>
    private static VectorMatch[] ScalarSearch(VectorMatrix matrix, float[] query, int k, VectorSearchOptions options)
    {
        var padded = new float[matrix.Stride];
        Normalised(query).CopyTo(padded, 0);
        var row = new float[matrix.Stride];
        var scored = new List<VectorMatch>();
        for (var r = 0; r < matrix.Count; r++)
        {
            if (!options.Admits(r))
            {
                continue;
            }
            matrix.Row(r).CopyTo(row);
            var score = VectorKernelTests.ScalarDot(row, padded);
            if (score >= options.MinScore)
            {
                scored.Add(new VectorMatch(r, score));
            }
        }
        return [.. scored.OrderByDescending(m => m.Score).ThenBy(m => m.Row).Take(k)];
    }

    public static TheoryData<int, int, int, int, bool> EdgeSizes => new()
    {
        // rows, dimensions, queries, threads, filtered
        { 1, 1, 1, 1, false },
        { 3, 7, 2, 1, false },
        { 5, 8, 3, 2, true },
        { 6, 9, 5, 1, true },
        { 37, 33, 4, 3, false },
        { 40_003, 20, 3, 3, true },
        { 70_001, 12, 7, 4, false },
    };

    [Theory]
    [MemberData(nameof(EdgeSizes))]
    public void Single_batched_and_threaded_searches_equal_a_scalar_reference(int rows, int dimensions, int queryCount, int threads, bool filtered)
    {
        var matrix = RandomMatrix(rows, dimensions, rows + dimensions, out _);
        // Heavy filtering removes whole four-row tiles and single rows of a tile.
        var allowed = new RowSet(rows);
        for (var r = 0; r < rows; r++)
        {
            if (r % 11 < 6)
            {
                allowed.Add(r);
            }
        }
        var options = filtered
            ? new VectorSearchOptions { Threads = threads, MinScore = -0.2f, AllowedRows = allowed, Filter = r => r % 3 != 1 }
            : new VectorSearchOptions { Threads = threads };
        var queries = RandomVector(new Random(queryCount), queryCount * dimensions);
        const int k = 10;
        var batch = new VectorMatch[queryCount * k];
        var counts = new int[queryCount];
        VectorSearch.SearchBatch(matrix, queries, k, batch, counts, options);
        for (var q = 0; q < queryCount; q++)
        {
            var query = queries.AsSpan(q * dimensions, dimensions).ToArray();
            var expected = ScalarSearch(matrix, query, k, options);
            var single = new VectorMatch[k];
            var count = VectorSearch.Search(matrix, query, k, single, options);
            Assert.Equal(expected, single.Take(count));
            Assert.Equal(expected, batch.Skip(q * k).Take(counts[q]));
        }
    }

    [Theory]
    [MemberData(nameof(EdgeSizes))]
    public void Int8_search_with_every_row_a_candidate_equals_the_exact_search(int rows, int dimensions, int queryCount, int threads, bool filtered)
    {
        var matrix = RandomMatrix(rows, dimensions, rows * dimensions, out _);
        matrix.EnableInt8Codes();
        var options = filtered
            ? new VectorSearchOptions { Threads = threads, MinScore = 0.05f, Filter = r => r % 4 != 2 }
            : new VectorSearchOptions { Threads = threads };
        var queries = RandomVector(new Random(rows), queryCount * dimensions);
        const int k = 3;
        var oversample = rows <= 40 ? rows : 2;
        var batch = new VectorMatch[queryCount * k];
        var counts = new int[queryCount];
        VectorSearch.SearchInt8Batch(matrix, queries, k, oversample, batch, counts, options);
        for (var q = 0; q < queryCount; q++)
        {
            var query = queries.AsSpan(q * dimensions, dimensions);
            var single = new VectorMatch[k];
            var count = VectorSearch.SearchInt8(matrix, query, k, oversample, single, options);
            Assert.Equal(single.Take(count), batch.Skip(q * k).Take(counts[q]));
            if (k * oversample >= rows)
            {
                // Every row is rescored, so the result is the exact search's, scores included.
                var exact = new VectorMatch[k];
                var exactCount = VectorSearch.Search(matrix, query, k, exact, options);
                Assert.Equal(exact.Take(exactCount), single.Take(count));
            }
        }
    }

    private static VectorMatrix GaussianMatrix(int rows, int dimensions, Random random)
    {
        var matrix = new VectorMatrix(dimensions, rows);
        for (var r = 0; r < rows; r++)
        {
            matrix.Add(Gaussian(random, dimensions));
        }
        return matrix;
    }

    private static float[] Gaussian(Random random, int length)
    {
        var values = new float[length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }
        return values;
    }

    [Fact]
    public void Ties_are_broken_by_ascending_row()
    {
        var matrix = new VectorMatrix(4);
        float[] same = [1, 2, 3, 4];
        for (var i = 0; i < 6; i++)
        {
            matrix.Add(i == 2 ? [4, 3, 2, 1] : same);
        }
        var results = new VectorMatch[3];
        Assert.Equal(3, VectorSearch.Search(matrix, same, 3, results));
        Assert.Equal([0, 1, 3], results.Select(m => m.Row));
        Assert.All(results, m => Assert.Equal(results[0].Score, m.Score));
    }

    [Fact]
    public void Filter_bitset_and_minimum_score_exclude_rows()
    {
        var matrix = RandomMatrix(300, 24, 3, out _);
        var query = RandomVector(new Random(1), 24);
        var all = new VectorMatch[300];
        VectorSearch.Search(matrix, query, 300, all);

        var allowed = new RowSet(300);
        for (var r = 0; r < 300; r += 3)
        {
            allowed.Add(r);
        }
        var options = new VectorSearchOptions { AllowedRows = allowed, Filter = r => r % 2 == 0, MinScore = 0.1f };
        var results = new VectorMatch[300];
        var count = VectorSearch.Search(matrix, query, 300, results, options);
        var expected = all.Where(m => m.Row % 6 == 0 && m.Score >= 0.1f).ToArray();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, results.Take(count));
    }

    [Fact]
    public void Batched_and_multi_threaded_searches_equal_single_searches()
    {
        var matrix = RandomMatrix(40_000, 40, 5, out _);
        var random = new Random(2);
        const int queryCount = 7, k = 12;
        var queries = new float[queryCount * 40];
        for (var i = 0; i < queries.Length; i++)
        {
            queries[i] = (float)((random.NextDouble() * 2) - 1);
        }
        var options = new VectorSearchOptions { MinScore = -0.5f, Filter = r => r % 5 != 1 };
        var threaded = new VectorSearchOptions { MinScore = -0.5f, Filter = r => r % 5 != 1, Threads = 2 };
        foreach (var batchOptions in new[] { options, threaded })
        {
            var batch = new VectorMatch[queryCount * k];
            var counts = new int[queryCount];
            VectorSearch.SearchBatch(matrix, queries, k, batch, counts, batchOptions);
            for (var q = 0; q < queryCount; q++)
            {
                var single = new VectorMatch[k];
                var threadedSingle = new VectorMatch[k];
                Assert.Equal(k, VectorSearch.Search(matrix, queries.AsSpan(q * 40, 40), k, single, options));
                Assert.Equal(k, VectorSearch.Search(matrix, queries.AsSpan(q * 40, 40), k, threadedSingle, threaded));
                Assert.Equal(k, counts[q]);
                Assert.Equal(single, batch.AsSpan(q * k, k).ToArray());
                Assert.Equal(single, threadedSingle);
            }
        }
    }

    [Fact]
    public void Int8_with_rescoring_reaches_recall_at_10_of_0_99_on_random_unit_vectors()
    {
        // Gaussian components: directions uniform on the sphere, nearly equal top scores, the hardest case for int8.
        const int rows = 20_000, dimensions = 384, queryCount = 40, k = 10;
        var random = new Random(11);
        var matrix = GaussianMatrix(rows, dimensions, random);
        matrix.EnableInt8Codes();
        var queries = Gaussian(random, queryCount * dimensions);
        var exact = new VectorMatch[queryCount * k];
        var approximate = new VectorMatch[queryCount * k];
        var threaded = new VectorMatch[queryCount * k];
        var counts = new int[queryCount];
        VectorSearch.SearchBatch(matrix, queries, k, exact, counts);
        VectorSearch.SearchInt8Batch(matrix, queries, k, oversample: 4, approximate, counts);
        Assert.All(counts, count => Assert.Equal(k, count));
        VectorSearch.SearchInt8Batch(matrix, queries, k, oversample: 4, threaded, counts, new VectorSearchOptions { Threads = 2 });
        Assert.Equal(approximate, threaded);
        var hits = 0;
        for (var q = 0; q < queryCount; q++)
        {
            hits += exact.Skip(q * k).Take(k).Select(m => m.Row).Intersect(approximate.Skip(q * k).Take(k).Select(m => m.Row)).Count();
        }
        var recall = hits / (double)(queryCount * k);
        Assert.True(recall >= 0.99, $"recall@10 {recall:F3}");
    }

    [Fact]
    public void Rows_added_after_int8_calibration_are_encoded_and_found()
    {
        var matrix = RandomMatrix(100, 16, 9, out _);
        matrix.EnableInt8Codes();
        var query = RandomVector(new Random(4), 16);
        var row = matrix.Add(query);
        var results = new VectorMatch[1];
        Assert.Equal(1, VectorSearch.SearchInt8(matrix, query, 1, 2, results));
        Assert.Equal(row, results[0].Row);
        Assert.Equal(1f, results[0].Score, 5);
    }

    [Fact]
    public void Repeated_single_threaded_queries_allocate_nothing()
    {
        var matrix = RandomMatrix(2000, 64, 1, out _);
        matrix.EnableInt8Codes();
        var query = RandomVector(new Random(5), 64);
        var results = new VectorMatch[3 * 10];
        var counts = new int[3];
        var queriesFilled = query.Concat(query).Concat(query).ToArray();
        // Warm-up lets tiered compilation settle; its bookkeeping is charged to the calling thread.
        for (var i = 0; i < 200; i++)
        {
            VectorSearch.Search(matrix, query, 10, results);
            VectorSearch.SearchBatch(matrix, queriesFilled, 10, results, counts);
            VectorSearch.SearchInt8(matrix, query, 10, 4, results);
            VectorSearch.SearchInt8Batch(matrix, queriesFilled, 10, 4, results, counts);
        }
        var single = Allocated(() => VectorSearch.Search(matrix, query, 10, results));
        var batch = Allocated(() => VectorSearch.SearchBatch(matrix, queriesFilled, 10, results, counts));
        var int8 = Allocated(() => VectorSearch.SearchInt8(matrix, query, 10, 4, results));
        var int8Batch = Allocated(() => VectorSearch.SearchInt8Batch(matrix, queriesFilled, 10, 4, results, counts));
        Assert.True(single + batch + int8 + int8Batch == 0, $"allocated: single {single}, batch {batch}, int8 {int8}, int8 batch {int8Batch} bytes");
    }

    private static long Allocated(Action search)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20; i++)
        {
            search();
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void Invalid_arguments_are_rejected_with_clear_messages()
    {
        var matrix = new VectorMatrix(3);
        Assert.Contains("3 dimensions", Assert.Throws<ArgumentException>(() => matrix.Add([1, 2])).Message);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => matrix.Add([1, float.NaN, 2])).Message);
        Assert.Throws<ArgumentException>(() => matrix.Add([0, 0, 0]));
        matrix.Add([1, 2, 3]);
        var results = new VectorMatch[1];
        Assert.Throws<ArgumentOutOfRangeException>(() => VectorSearch.Search(matrix, [1, 2, 3], 0, results));
        Assert.Contains("3 dimensions", Assert.Throws<ArgumentException>(() => VectorSearch.Search(matrix, [1, 2, 3, 4], 1, results)).Message);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => VectorSearch.Search(matrix, [float.NaN, 2, 3], 1, results)).Message);
        Assert.Throws<InvalidOperationException>(() => VectorSearch.SearchInt8(matrix, [1, 2, 3], 1, 2, results));
        matrix.EnableInt8Codes();
        Assert.Throws<ArgumentOutOfRangeException>(() => VectorSearch.SearchInt8(matrix, [1, 2, 3], 1, 0, results));
        Assert.Contains("counts one entry per query", Assert.Throws<ArgumentException>(
            () => VectorSearch.SearchInt8Batch(matrix, [1, 2, 3, 4, 5, 6], 1, 2, results, new int[2])).Message);
    }
}

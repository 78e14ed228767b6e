using MusicSearch.Core.Vectors;

namespace MusicSearch.Indexer.Commands.Bench;

/// <summary>
/// Seeded random unit vectors. Gaussian components make the directions uniform on the sphere: no structure for the
/// int8 codes to exploit and nearly equal top scores, the hardest case for approximate-then-exact search. Every row has
/// its own generator derived from (seed, row), so the data does not depend on how many threads produce it.
/// </summary>
internal static class RandomUnitVectors
{
    // Rows generated in parallel before being appended (appends are sequential); 8192 × 1024 floats is 32 MiB.
    private const int ChunkRows = 8192;

    /// <summary>A matrix of <paramref name="rows"/> random unit vectors; <paramref name="progress"/> gets the fraction done.</summary>
    public static VectorMatrix Matrix(int rows, int dimensions, int seed, int threads, Action<double> progress)
    {
        var matrix = new VectorMatrix(dimensions, rows);
        var chunk = new float[Math.Min(rows, ChunkRows) * dimensions];
        for (var start = 0; start < rows; start += ChunkRows)
        {
            var count = Math.Min(ChunkRows, rows - start);
            var first = start;
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, part =>
            {
                for (var row = count * part / threads; row < count * (part + 1) / threads; row++)
                {
                    Fill(chunk.AsSpan(row * dimensions, dimensions), seed, first + row);
                }
            });
            for (var row = 0; row < count; row++)
            {
                matrix.Add(chunk.AsSpan(row * dimensions, dimensions));
            }
            progress((double)(start + count) / rows);
        }
        return matrix;
    }

    /// <summary>
    /// <paramref name="count"/> unit vectors back to back, from a stream of rows disjoint from any matrix's. Normalised
    /// here so FAISS, which takes queries as given, sees the vectors our search normalises itself.
    /// </summary>
    public static float[] Queries(int count, int dimensions, int seed)
    {
        var queries = new float[count * dimensions];
        for (var q = 0; q < count; q++)
        {
            var query = queries.AsSpan(q * dimensions, dimensions);
            Fill(query, seed, -1L - q);
            var norm = 0.0;
            foreach (var value in query)
            {
                norm += (double)value * value;
            }
            var scale = 1 / Math.Sqrt(norm);
            foreach (ref var value in query)
            {
                value = (float)(value * scale);
            }
        }
        return queries;
    }

    /// <summary>Standard normal components (Marsaglia's polar method); the matrix normalises its rows on insert.</summary>
    private static void Fill(Span<float> vector, int seed, long row)
    {
        var state = SplitMix64.Mix(((ulong)(uint)seed << 32) ^ (ulong)row);
        for (var i = 0; i < vector.Length; i += 2)
        {
            double u, v, s;
            do
            {
                u = (2 * SplitMix64.NextUnit(ref state)) - 1;
                v = (2 * SplitMix64.NextUnit(ref state)) - 1;
                s = (u * u) + (v * v);
            }
            while (s >= 1 || s == 0);
            var scale = Math.Sqrt(-2 * Math.Log(s) / s);
            vector[i] = (float)(u * scale);
            if (i + 1 < vector.Length)
            {
                vector[i + 1] = (float)(v * scale);
            }
        }
    }

    /// <summary>SplitMix64 (Steele, Lea, Flood 2014): tiny, fast and well mixed, enough for benchmark data.</summary>
    private static class SplitMix64
    {
        public static ulong Mix(ulong z)
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        /// <summary>A uniform double in [0, 1) from the top 53 bits of the next output.</summary>
        public static double NextUnit(ref ulong state)
        {
            state += 0x9E3779B97F4A7C15UL;
            return (Mix(state) >> 11) * (1.0 / (1UL << 53));
        }
    }
}

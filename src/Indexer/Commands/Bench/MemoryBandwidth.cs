using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MusicSearch.Indexer.Commands.Bench;

/// <summary>
/// The machine's memory-read bandwidth: a vectorised sum over a buffer far larger than the last-level cache, split
/// across threads, best of several passes and of two access patterns (one sequential stream per thread; four
/// interleaved streams per thread, each running through 32 KiB, the single-query scan's pattern). An exact scan reads
/// every row once per query (or per batch), so this is the physical limit it is measured against.
/// </summary>
/// <param name="Threads">Threads reading at once, each its own part of the buffer.</param>
/// <param name="BufferBytes">Size of the buffer read.</param>
/// <param name="SequentialGigabytesPerSecond">One stream per thread.</param>
/// <param name="InterleavedGigabytesPerSecond">Four streams per thread in 32 KiB runs.</param>
internal sealed record MemoryBandwidth(int Threads, long BufferBytes, double SequentialGigabytesPerSecond, double InterleavedGigabytesPerSecond)
{
    private const int RunFloats = 32 * 1024 / sizeof(float);

    /// <summary>The better pattern: the limit a scan is compared with.</summary>
    public double GigabytesPerSecond => Math.Max(SequentialGigabytesPerSecond, InterleavedGigabytesPerSecond);

    public static MemoryBandwidth Measure(float[] buffer, int threads, int repeats) =>
        new(threads, (long)buffer.Length * sizeof(float), Rate(buffer, threads, repeats, Sequential), Rate(buffer, threads, repeats, Interleaved));

    /// <summary>The better of two measurements (the machine is shared; the best is the least disturbed).</summary>
    public MemoryBandwidth Best(MemoryBandwidth other) =>
        this with
        {
            SequentialGigabytesPerSecond = Math.Max(SequentialGigabytesPerSecond, other.SequentialGigabytesPerSecond),
            InterleavedGigabytesPerSecond = Math.Max(InterleavedGigabytesPerSecond, other.InterleavedGigabytesPerSecond),
        };

    /// <summary>A buffer of ones, every page touched, so the timed passes read memory rather than fault in zero pages.</summary>
    public static float[] CreateBuffer(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes / sizeof(float), Array.MaxLength, nameof(bytes));
        var buffer = GC.AllocateUninitializedArray<float>((int)(bytes / sizeof(float)));
        buffer.AsSpan().Fill(1f);
        return buffer;
    }

    private static double Rate(float[] buffer, int threads, int repeats, Func<float[], int, int, float> sum)
    {
        var best = double.MaxValue;
        var sink = 0f;
        // The first pass is a warm-up (page faults, JIT), as in every other timing of the benchmark.
        for (var i = 0; i <= repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            sink += threads == 1 ? sum(buffer, 0, buffer.Length) : SumParallel(buffer, threads, sum);
            if (i > 0)
            {
                best = Math.Min(best, clock.Elapsed.TotalSeconds);
            }
        }
        // The sum is used so the reads cannot be optimised away; an all-ones buffer sums to a positive value.
        if (sink <= 0)
        {
            throw new InvalidOperationException("the bandwidth buffer summed to zero");
        }
        return (long)buffer.Length * sizeof(float) / best / 1e9;
    }

    private static float SumParallel(float[] buffer, int threads, Func<float[], int, int, float> sum)
    {
        var partial = new float[threads];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, part =>
        {
            var start = (int)((long)buffer.Length * part / threads);
            var end = (int)((long)buffer.Length * (part + 1) / threads);
            partial[part] = sum(buffer, start, end - start);
        });
        return partial.Sum();
    }

    private static float Sequential(float[] buffer, int start, int length)
    {
        ref var first = ref MemoryMarshal.GetArrayDataReference(buffer);
        Vector256<float> a = default, b = default, c = default, d = default;
        var i = start;
        for (; i <= start + length - 32; i += 32)
        {
            a += Vector256.LoadUnsafe(ref first, (nuint)i);
            b += Vector256.LoadUnsafe(ref first, (nuint)(i + 8));
            c += Vector256.LoadUnsafe(ref first, (nuint)(i + 16));
            d += Vector256.LoadUnsafe(ref first, (nuint)(i + 24));
        }
        return Vector256.Sum(a + b + c + d) + Tail(buffer, i, start + length);
    }

    private static float Interleaved(float[] buffer, int start, int length)
    {
        ref var first = ref MemoryMarshal.GetArrayDataReference(buffer);
        Vector256<float> a = default, b = default, c = default, d = default;
        var tile = start;
        for (; tile <= start + length - (4 * RunFloats); tile += 4 * RunFloats)
        {
            for (var i = tile; i < tile + RunFloats; i += 8)
            {
                a += Vector256.LoadUnsafe(ref first, (nuint)i);
                b += Vector256.LoadUnsafe(ref first, (nuint)(i + RunFloats));
                c += Vector256.LoadUnsafe(ref first, (nuint)(i + (2 * RunFloats)));
                d += Vector256.LoadUnsafe(ref first, (nuint)(i + (3 * RunFloats)));
            }
        }
        return Vector256.Sum(a + b + c + d) + Tail(buffer, tile, start + length);
    }

    private static float Tail(float[] buffer, int start, int end)
    {
        var sum = 0f;
        for (var i = start; i < end; i++)
        {
            sum += buffer[i];
        }
        return sum;
    }
}

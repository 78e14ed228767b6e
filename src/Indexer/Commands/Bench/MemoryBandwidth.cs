using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MusicSearch.Indexer.Commands.Bench;

/// <summary>
/// The machine's memory-read bandwidth: a vectorised streaming sum over a buffer far larger than the last-level
/// cache, split across threads, best of several passes. An exact scan reads every row once per query (or per batch),
/// so this is the physical limit it is measured against.
/// </summary>
internal sealed record MemoryBandwidth(int Threads, long BufferBytes, double GigabytesPerSecond)
{
    public static MemoryBandwidth Measure(float[] buffer, int threads, int repeats)
    {
        var best = double.MaxValue;
        var sink = 0f;
        for (var i = 0; i <= repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            sink += threads == 1 ? Sum(buffer.AsSpan()) : SumParallel(buffer, threads);
            // The first pass is a warm-up (page faults, JIT), as in every other timing of the benchmark.
            if (i > 0)
            {
                best = Math.Min(best, clock.Elapsed.TotalSeconds);
            }
        }
        // The sum is used so the reads cannot be optimised away; an all-ones buffer sums to a known value.
        if (sink <= 0)
        {
            throw new InvalidOperationException("the bandwidth buffer summed to zero");
        }
        var bytes = (long)buffer.Length * sizeof(float);
        return new MemoryBandwidth(threads, bytes, bytes / best / 1e9);
    }

    /// <summary>A buffer of ones, every page touched, so the timed passes read memory rather than fault in zero pages.</summary>
    public static float[] CreateBuffer(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes / sizeof(float), Array.MaxLength, nameof(bytes));
        var buffer = GC.AllocateUninitializedArray<float>((int)(bytes / sizeof(float)));
        buffer.AsSpan().Fill(1f);
        return buffer;
    }

    private static float SumParallel(float[] buffer, int threads)
    {
        var partial = new float[threads];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, part =>
        {
            var start = (long)buffer.Length * part / threads;
            var end = (long)buffer.Length * (part + 1) / threads;
            partial[part] = Sum(buffer.AsSpan((int)start, (int)(end - start)));
        });
        return partial.Sum();
    }

    private static float Sum(ReadOnlySpan<float> values)
    {
        ref var start = ref MemoryMarshal.GetReference(values);
        Vector256<float> a = default, b = default, c = default, d = default;
        var i = 0;
        for (; i <= values.Length - 32; i += 32)
        {
            a += Vector256.LoadUnsafe(ref start, (nuint)i);
            b += Vector256.LoadUnsafe(ref start, (nuint)(i + 8));
            c += Vector256.LoadUnsafe(ref start, (nuint)(i + 16));
            d += Vector256.LoadUnsafe(ref start, (nuint)(i + 24));
        }
        var sum = Vector256.Sum(a + b + c + d);
        for (; i < values.Length; i++)
        {
            sum += values[i];
        }
        return sum;
    }
}

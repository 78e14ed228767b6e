using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MusicSearch.Inference.Backends.Cpu;

/// <summary>
/// A mixed-radix decimation-in-time plan for complex DFTs of one length, built once at load: the input
/// permutation (mixed-radix digit reversal) and per-stage twiddle factors, all in fp32 from double-precision
/// angles. Radix 4 and 2 take their own butterflies, any other prime factor the generic one, so every length
/// works and lengths made of small primes are fast.
/// </summary>
internal sealed unsafe class FftPlan
{
    /// <summary>One pass over the buffer: radix-r butterflies over sub-transforms of length r·<see cref="Span"/>.</summary>
    /// <param name="Radix">r.</param>
    /// <param name="Span">P: the length of the sub-transforms this stage combines (the product of the earlier radices).</param>
    /// <param name="TwiddleOffset">Where this stage's (r − 1)·P twiddles W_{rP}^{j·k} (k &lt; P, 1 ≤ j &lt; r) start, as complex numbers.</param>
    /// <param name="RootOffset">Where the r roots W_r^m start (generic radix only), as complex numbers.</param>
    internal readonly record struct Stage(int Radix, int Span, int TwiddleOffset, int RootOffset);

    public FftPlan(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        Length = length;
        var radices = Factor(length);
        Stages = GC.AllocateArray<Stage>(radices.Count, pinned: true);
        var twiddles = new List<float>();
        var roots = new List<float>();
        var span = 1;
        for (var s = 0; s < radices.Count; s++)
        {
            var radix = radices[s];
            Stages[s] = new Stage(radix, span, twiddles.Count / 2, roots.Count / 2);
            var sub = radix * span;
            for (var k = 0; k < span; k++)
            {
                for (var j = 1; j < radix; j++)
                {
                    AddRoot(twiddles, (long)j * k, sub);
                }
            }
            if (radix != 2 && radix != 4)
            {
                for (var m = 0; m < radix; m++)
                {
                    AddRoot(roots, m, radix);
                }
            }
            MaxRadix = Math.Max(MaxRadix, radix);
            span = sub;
        }
        Twiddles = GC.AllocateArray<float>(Math.Max(1, twiddles.Count), pinned: true);
        twiddles.CopyTo(Twiddles);
        Roots = GC.AllocateArray<float>(Math.Max(1, roots.Count), pinned: true);
        roots.CopyTo(Roots);
        Permutation = GC.AllocateArray<int>(length, pinned: true);
        for (var n = 0; n < length; n++)
        {
            Permutation[n] = Position(n, radices);
        }
    }

    /// <summary>The transform length M.</summary>
    public int Length { get; }

    /// <summary>Innermost stage first.</summary>
    public Stage[] Stages { get; }

    /// <summary>The largest radix, which sizes the generic butterfly's scratch.</summary>
    public int MaxRadix { get; }

    /// <summary>Input sample n goes to buffer position Permutation[n]; the output then comes out in natural order.</summary>
    public int[] Permutation { get; }

    /// <summary>Interleaved (re, im) twiddles of all stages (pinned: kernels take its address).</summary>
    public float[] Twiddles { get; }

    /// <summary>Interleaved (re, im) roots of unity of the generic-radix stages (pinned).</summary>
    public float[] Roots { get; }

    /// <summary>The plan as pointers into its pinned arrays, for kernels running on pool threads.</summary>
    public FftTables Tables => new(Length, Stages.Length, Address(Stages), Address(Permutation), Address(Twiddles), Address(Roots));

    /// <summary>Forward-transform root W_n^e = exp(−2πi·e/n), angle reduced in exact integers, rounded from double.</summary>
    public static (float Re, float Im) Root(long exponent, long n)
    {
        var angle = 2.0 * Math.PI * (exponent % n) / n;
        return ((float)Math.Cos(angle), (float)-Math.Sin(angle));
    }

    private static T* Address<T>(T[] pinned) where T : unmanaged => (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));

    private static void AddRoot(List<float> table, long exponent, long n)
    {
        var (re, im) = Root(exponent, n);
        table.Add(re);
        table.Add(im);
    }

    /// <summary>Radices, innermost first: fours, at most one two, then odd primes ascending.</summary>
    private static List<int> Factor(int length)
    {
        var radices = new List<int>();
        var rest = length;
        while (rest % 4 == 0)
        {
            radices.Add(4);
            rest /= 4;
        }
        if (rest % 2 == 0)
        {
            radices.Add(2);
            rest /= 2;
        }
        for (var p = 3; rest > 1; p += 2)
        {
            if ((long)p * p > rest)
            {
                p = rest;
            }
            while (rest % p == 0)
            {
                radices.Add(p);
                rest /= p;
            }
        }
        return radices;
    }

    /// <summary>
    /// Where input n sits before the first stage: the outermost stage (radix r, sub-length P = M/r) splits the
    /// input by n mod r into sub-transforms stored at j·P, each of which splits again by its own outer radix.
    /// </summary>
    private static int Position(int n, List<int> radices)
    {
        var position = 0;
        var length = radices.Aggregate(1, (product, radix) => product * radix);
        for (var s = radices.Count - 1; s >= 0; s--)
        {
            length /= radices[s];
            position += n % radices[s] * length;
            n /= radices[s];
        }
        return position;
    }
}

/// <summary>An <see cref="FftPlan"/> as raw pointers (its arrays are pinned for the plan's lifetime).</summary>
internal readonly unsafe struct FftTables(int length, int stageCount, FftPlan.Stage* stages, int* permutation, float* twiddles, float* roots)
{
    public readonly int Length = length;
    public readonly int StageCount = stageCount;
    public readonly FftPlan.Stage* Stages = stages;
    public readonly int* Permutation = permutation;
    public readonly float* Twiddles = twiddles;
    public readonly float* Roots = roots;
}

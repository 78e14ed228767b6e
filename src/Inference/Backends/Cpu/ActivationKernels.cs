using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MusicSearch.Inference.Backends.Cpu;

/// <summary>
/// Element-wise kernels on contiguous fp32 runs. Each activation is a struct so the JIT compiles one loop per
/// activation with the function inlined, instead of a per-element switch or delegate call.
/// </summary>
internal static unsafe class ActivationKernels
{
    /// <summary>y = act(x) over n elements; x and y may be the same memory.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply(Activation activation, float* x, float* y, int n)
    {
        switch (activation)
        {
            case Activation.None:
                if (x != y)
                {
                    new ReadOnlySpan<float>(x, n).CopyTo(new Span<float>(y, n));
                }
                break;
            case Activation.Relu:
                Map<Relu>(x, y, n, null, 1f, 0f);
                break;
            case Activation.Silu:
                Map<Silu>(x, y, n, null, 1f, 0f);
                break;
            case Activation.Gelu:
                Map<Gelu>(x, y, n, null, 1f, 0f);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }

    /// <summary>
    /// The GEMM/convolution epilogue on one row, in place: y[i] = act(y[i] + scale·bias[i] + rowBias), with
    /// <paramref name="bias"/> null for none. A Linear passes its bias vector, a convolution its channel's
    /// bias as <paramref name="rowBias"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BiasActivate(Activation activation, float* y, int n, float* bias, float scale, float rowBias)
    {
        switch (activation)
        {
            case Activation.None:
                Map<Identity>(y, y, n, bias, scale, rowBias);
                break;
            case Activation.Relu:
                Map<Relu>(y, y, n, bias, scale, rowBias);
                break;
            case Activation.Silu:
                Map<Silu>(y, y, n, bias, scale, rowBias);
                break;
            case Activation.Gelu:
                Map<Gelu>(y, y, n, bias, scale, rowBias);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }

    /// <summary>Gated linear unit on one pair of halves: y = a·sigmoid(b).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Glu(float* a, float* b, float* y, int n)
    {
        var i = 0;
        for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var gate = Vector256.Load(b + i);
            Vector256.Store(Vector256.Load(a + i) / (Vector256<float>.One + ExpMath.Exp(-gate)), y + i);
        }
        if (i < n)
        {
            // The tail through the same vector code, as in Map.
            var tailA = stackalloc float[Vector256<float>.Count];
            var tailB = stackalloc float[Vector256<float>.Count];
            new ReadOnlySpan<float>(a + i, n - i).CopyTo(new Span<float>(tailA, n - i));
            new ReadOnlySpan<float>(b + i, n - i).CopyTo(new Span<float>(tailB, n - i));
            var result = Vector256.Load(tailA) / (Vector256<float>.One + ExpMath.Exp(-Vector256.Load(tailB)));
            for (var j = 0; j < n - i; j++)
            {
                y[i + j] = result[j];
            }
        }
    }

    /// <summary>y = x + scale·other over n elements; y may be x or other.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add(float* x, float* other, float* y, int n, float scale)
    {
        var source = new ReadOnlySpan<float>(x, n);
        var addend = new ReadOnlySpan<float>(other, n);
        var destination = new Span<float>(y, n);
        if (scale == 1f)
        {
            TensorPrimitives.Add(source, addend, destination);
        }
        else
        {
            TensorPrimitives.MultiplyAdd(addend, scale, source, destination);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Map<TActivation>(float* x, float* y, int n, float* bias, float scale, float rowBias)
        where TActivation : struct, IActivation
    {
        var scaleVector = Vector256.Create(scale);
        var rowBiasVector = Vector256.Create(rowBias);
        var i = 0;
        for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var value = Vector256.Load(x + i) + rowBiasVector;
            if (bias != null)
            {
                value = Vector256.FusedMultiplyAdd(Vector256.Load(bias + i), scaleVector, value);
            }
            Vector256.Store(TActivation.Apply(value), y + i);
        }
        if (i < n)
        {
            // The tail goes through the same vector code, so every element gets exactly the same arithmetic.
            var tail = stackalloc float[Vector256<float>.Count];
            var remaining = n - i;
            for (var j = 0; j < remaining; j++)
            {
                tail[j] = x[i + j] + rowBias;
                if (bias != null)
                {
                    tail[j] = MathF.FusedMultiplyAdd(bias[i + j], scale, tail[j]);
                }
            }
            var result = TActivation.Apply(Vector256.Load(tail));
            for (var j = 0; j < remaining; j++)
            {
                y[i + j] = result[j];
            }
        }
    }

    /// <summary>An activation as a vector function, for kernels that fuse it into their own loops (compiled per struct).</summary>
    internal interface IActivation
    {
        static abstract Vector256<float> Apply(Vector256<float> x);
    }

    internal readonly struct Identity : IActivation
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Apply(Vector256<float> x) => x;
    }

    internal readonly struct Relu : IActivation
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Apply(Vector256<float> x) =>
            // max(x, 0) but NaN stays NaN, as torch.relu.
            Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), Vector256<float>.Zero, x);
    }

    internal readonly struct Silu : IActivation
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Apply(Vector256<float> x) => x / (Vector256<float>.One + ExpMath.Exp(-x));
    }

    internal readonly struct Gelu : IActivation
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Apply(Vector256<float> x)
        {
            var (lower, upper) = Vector256.Widen(x);
            return Vector256.Narrow(Exact(lower), Exact(upper));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<double> Exact(Vector256<double> x) =>
            Vector256.Create(0.5) * x * (Vector256<double>.One + ErfMath.Erf(x * Vector256.Create(0.70710678118654752440)));
    }
}

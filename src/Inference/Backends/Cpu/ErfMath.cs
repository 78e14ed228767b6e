using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MusicSearch.Inference.Backends.Cpu;

/// <summary>
/// erf for the exact GELU, evaluated in double precision so that after the one rounding to fp32 the result
/// is within fp32's half ulp plus 1.4e-10 of the true value (max relative error 5.8e-8 in fp32). The
/// coefficients are Chebyshev interpolants derived by <c>tests/Inference.Tests/Reference/fit_erf.py</c>,
/// which documents the ranges; a test checks they still match its output.
/// </summary>
internal static class ErfMath
{
    /// <summary>erf(x)/x as a polynomial in w = 2x² − 1, for |x| &lt; 1; lowest order first.</summary>
    internal static readonly double[] Small =
    [
        0.9654687386375695, -0.1405360890211222, 0.019852497722448674, -0.0022854856122023204, 0.00021751199063813065,
        -1.7536914203031273e-05, 1.2316395869849117e-06, -7.552377212505235e-08,
    ];

    /// <summary>exp(x²)·erfc(x) as a polynomial in u = (2x − 5)/3, for 1 ≤ x &lt; 4; lowest order first.</summary>
    internal static readonly double[] Large =
    [
        0.21080636426942367, -0.11152102025594532, 0.05611047305749502, -0.027005289689809874, 0.0124896981171611,
        -0.005570817126155541, 0.0024017255023646325, -0.0010051734579381005, 0.0004144620204650705,
        -0.000163853684325334, 5.498832324946079e-05, -2.1006041708103254e-05, 1.380536517103792e-05,
        -4.898929400301963e-06,
    ];

    /// <summary>Beyond this |x|, 1 − erf(x) &lt; 1.6e-8 and erf rounds to ±1 in fp32.</summary>
    private const double Saturation = 4.0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Erf(Vector256<double> x)
    {
        var one = Vector256<double>.One;
        var magnitude = Vector256.Abs(x);
        var square = x * x;

        var w = Vector256.FusedMultiplyAdd(square, Vector256.Create(2.0), -one);
        var p = Vector256.Create(Small[7]);
        p = Vector256.FusedMultiplyAdd(p, w, Vector256.Create(Small[6]));
        p = Vector256.FusedMultiplyAdd(p, w, Vector256.Create(Small[5]));
        p = Vector256.FusedMultiplyAdd(p, w, Vector256.Create(Small[4]));
        p = Vector256.FusedMultiplyAdd(p, w, Vector256.Create(Small[3]));
        p = Vector256.FusedMultiplyAdd(p, w, Vector256.Create(Small[2]));
        p = Vector256.FusedMultiplyAdd(p, w, Vector256.Create(Small[1]));
        p = Vector256.FusedMultiplyAdd(p, w, Vector256.Create(Small[0]));
        var near = x * p;
        var isNear = Vector256.LessThan(magnitude, one);
        if (Vector256.EqualsAll(isNear.AsUInt64(), Vector256<ulong>.AllBitsSet))
        {
            return near;
        }

        var u = Vector256.FusedMultiplyAdd(magnitude, Vector256.Create(2.0 / 3.0), Vector256.Create(-5.0 / 3.0));
        var q = Vector256.Create(Large[13]);
        q = Vector256.FusedMultiplyAdd(q, u, Vector256.Create(Large[12]));
        q = Vector256.FusedMultiplyAdd(q, u, Vector256.Create(Large[11]));
        q = Vector256.FusedMultiplyAdd(q, u, Vector256.Create(Large[10]));
        q = Vector256.FusedMultiplyAdd(q, u, Vector256.Create(Large[9]));
        q = Vector256.FusedMultiplyAdd(q, u, Vector256.Create(Large[8]));
        q = Vector256.FusedMultiplyAdd(q, u, Vector256.Create(Large[7]));
        q = Vector256.FusedMultiplyAdd(q, u, Vector256.Create(Large[6]));
        q = Vector256.FusedMultiplyAdd(q, u, Vector256.Create(Large[5]));
        q = Vector256.FusedMultiplyAdd(q, u, Vector256.Create(Large[4]));
        q = Vector256.FusedMultiplyAdd(q, u, Vector256.Create(Large[3]));
        q = Vector256.FusedMultiplyAdd(q, u, Vector256.Create(Large[2]));
        q = Vector256.FusedMultiplyAdd(q, u, Vector256.Create(Large[1]));
        q = Vector256.FusedMultiplyAdd(q, u, Vector256.Create(Large[0]));
        var far = one - Vector256.Exp(-square) * q;
        far = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(magnitude, Vector256.Create(Saturation)), one, far);
        // |far| with the sign of x.
        far = Vector256.ConditionalSelect(Vector256.Create(-0.0), x, far);
        return Vector256.ConditionalSelect(isNear, near, far);
    }
}

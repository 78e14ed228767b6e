using System.Runtime.Intrinsics;
using MusicSearch.Inference.Backends.Cpu;

namespace MusicSearch.Inference.Tests.Backends;

/// <summary>The fp32 exp of softmax, SiLU and GLU against double precision.</summary>
public sealed class ExpMathTests
{
    [Fact]
    public void Exp_is_within_two_ulp_over_the_whole_normal_range()
    {
        var worst = 0.0;
        for (var start = -87.33f; start < 88.3f; start += 8 * 0.0007f)
        {
            var x = Vector256.Create(start, start + 0.0007f, start + 0.0014f, start + 0.0021f, start + 0.0028f, start + 0.0035f, start + 0.0042f,
                start + 0.0049f);
            var e = ExpMath.Exp(x);
            for (var i = 0; i < 8; i++)
            {
                var exact = Math.Exp(x[i]);
                worst = Math.Max(worst, Math.Abs(e[i] - exact) / exact);
            }
        }
        Assert.True(worst <= 2 * Math.Pow(2, -23), $"max relative error {worst:E3}");
    }

    [Fact]
    public void Exp_clamps_the_ends_and_keeps_nan()
    {
        var e = ExpMath.Exp(Vector256.Create(-1000f, float.NegativeInfinity, 1000f, float.PositiveInfinity, float.NaN, 0f, 1f, -1f));
        Assert.Equal(MathF.Exp(-87.33f), e[0], 1e-44f);
        Assert.Equal(e[0], e[1]);
        Assert.True(float.IsNormal(e[0]));
        Assert.True(e[2] is > 1e38f and < float.PositiveInfinity);
        Assert.True(e[3] is > 1e38f and < float.PositiveInfinity);
        Assert.True(float.IsNaN(e[4]));
        Assert.Equal(1f, e[5]);
        Assert.Equal(MathF.E, e[6], 6e-7f);
        Assert.Equal(1 / MathF.E, e[7], 3e-8f);
    }
}

using System.Runtime.Intrinsics;
using MusicSearch.Core.Vectors;

namespace MusicSearch.Core.Tests.Vectors;

/// <summary>The tiled kernels against plain scalar loops that spell out the documented accumulation order.</summary>
public sealed class VectorKernelTests
{
    /// <summary>One accumulator per lane, ascending 8-float steps, fused multiply-add, then ((0+1)+(2+3))+((4+5)+(6+7)).</summary>
    internal static float ScalarDot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Span<float> lanes = stackalloc float[8];
        for (var i = 0; i < a.Length; i += 8)
        {
            for (var lane = 0; lane < 8; lane++)
            {
                lanes[lane] = MathF.FusedMultiplyAdd(a[i + lane], b[i + lane], lanes[lane]);
            }
        }
        return ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
    }

    private static float[] Random(Random random, int length, float scale = 1)
    {
        var values = new float[length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = ((random.NextSingle() * 2) - 1) * scale;
        }
        return values;
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(40)]
    [InlineData(384)]
    [InlineData(1024)]
    public void Fp32_tiles_give_the_scalar_reference_bit_for_bit(int length)
    {
        var random = new Random(length);
        var rows = Random(random, 4 * length);
        var queries = new[] { Random(random, length), Random(random, length, scale: 1000), Random(random, length, scale: 1e-3f) };
        VectorMath.Dot4x3(ref rows[0], length, ref queries[0][0], ref queries[1][0], ref queries[2][0], length, out var three0, out var three1, out var three2);
        VectorMath.Dot4x2(ref rows[0], length, ref queries[1][0], ref queries[2][0], length, out var two1, out var two2);
        var one = VectorMath.Dot4x1(ref rows[0], length, ref queries[2][0], length);
        for (var r = 0; r < 4; r++)
        {
            var row = rows.AsSpan(r * length, length);
            Assert.Equal(ScalarDot(row, queries[0]), three0.GetElement(r));
            Assert.Equal(ScalarDot(row, queries[1]), three1.GetElement(r));
            Assert.Equal(ScalarDot(row, queries[2]), three2.GetElement(r));
            Assert.Equal(ScalarDot(row, queries[1]), two1.GetElement(r));
            Assert.Equal(ScalarDot(row, queries[2]), two2.GetElement(r));
            Assert.Equal(ScalarDot(row, queries[2]), one.GetElement(r));
            Assert.Equal(ScalarDot(row, queries[2]), VectorMath.Dot(ref rows[r * length], ref queries[2][0], length));
        }
    }

    [Theory]
    [InlineData(64, 0)]
    [InlineData(128, 1)]
    [InlineData(448, 2)]
    [InlineData(1024, 3)]
    public void Int8_tiles_equal_the_scalar_product_even_at_the_extremes(int length, int seed)
    {
        var random = new Random(seed);
        var rows = new byte[4 * length];
        var query0 = new sbyte[length];
        var query1 = new sbyte[length];
        const int limit = VectorMath.QueryLimit;
        for (var i = 0; i < length; i++)
        {
            // Row 0 at the largest code and query 0 at the largest magnitude everywhere: 2 · 255 · 32 per vpmaddubsw
            // pair and twice that per two-step int16 sum, the bounds the kernel relies on. Row 1 at the smallest code.
            rows[i] = 255;
            rows[length + i] = 1;
            query0[i] = (sbyte)(i % 7 == 0 ? -limit : limit);
            query1[i] = (sbyte)random.Next(-limit, limit + 1);
            for (var r = 2; r < 4; r++)
            {
                rows[(r * length) + i] = (byte)random.Next(1, 256);
            }
        }

        VectorMath.Int8Dot4x2(ref rows[0], length, ref query0[0], ref query1[0], length, out var scores0, out var scores1);
        var single = VectorMath.Int8Dot4x1(ref rows[0], length, ref query1[0], length);
        for (var r = 0; r < 4; r++)
        {
            var expected0 = 0;
            var expected1 = 0;
            for (var i = 0; i < length; i++)
            {
                expected0 += rows[(r * length) + i] * query0[i];
                expected1 += rows[(r * length) + i] * query1[i];
            }
            Assert.Equal(expected0, scores0.GetElement(r));
            Assert.Equal(expected1, scores1.GetElement(r));
            Assert.Equal(expected1, single.GetElement(r));
            Assert.Equal(expected1, VectorMath.Int8Dot(ref rows[r * length], ref query1[0], length));
        }
    }
}

using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Backends.Cpu;
using static MusicSearch.Inference.Tests.Backends.ReferenceChecks;
using Xunit.Abstractions;

namespace MusicSearch.Inference.Tests.Backends;

/// <summary>
/// Each way the CPU backend runs a Conv2d (direct, Winograd, im2col) against a direct convolution in double
/// precision, on shapes that reach their edges: partial tiles and tile groups, several Winograd bands, batches,
/// residuals in place and apart; and the banded pointwise Conv1d of the mel filterbank.
/// </summary>
[Collection(BackendTestGroup.Name)]
public sealed class ConvolutionMethodTests(BackendFixture fixture, ITestOutputHelper output) : IDisposable
{
    private readonly IComputeBackend _backend = fixture.Backend;
    private readonly Workspace _workspace = fixture.Backend.CreateWorkspace();

    public void Dispose() => _workspace.Dispose();

    public static TheoryData<string, int, int, int, int, int, int, int, int, string> Cases => new()
    {
        // method, batch, in, out, height, width, kernel, stride, padding, residual (none | apart | in_place)
        { "Direct", 2, 1, 16, 16, 30, 3, 2, 1, "none" },          // MusicFM's first convolutions
        { "Direct", 1, 3, 5, 9, 13, 5, 1, 2, "apart" },
        { "Direct", 1, 4, 3, 7, 8, 3, 2, 1, "in_place" },
        { "Direct", 1, 2, 4, 6, 67, 3, 2, 1, "none" },            // rows long enough for the vectorised stride-2 gather
        { "Winograd", 2, 8, 5, 13, 37, 3, 1, 1, "in_place" },     // partial tiles and a partial group of tiles
        { "Winograd", 1, 16, 16, 1, 1, 3, 1, 1, "apart" },
        { "Winograd", 1, 24, 12, 9, 70, 3, 1, 1, "none" },        // two groups per tile row
        { "Winograd", 1, 512, 4, 5, 1000, 3, 1, 1, "in_place" },  // several bands
        { "WinogradStrided", 1, 8, 6, 11, 14, 3, 2, 1, "in_place" },    // odd sizes: the last input row and column are padding
        { "WinogradStrided", 2, 16, 7, 18, 150, 3, 2, 1, "apart" },    // groups of tiles inside the plane and at its edge
        { "WinogradStrided", 1, 512, 4, 9, 500, 3, 2, 1, "none" },     // several bands
        { "Columns", 1, 5, 6, 5, 75, 3, 2, 1, "none" },
        { "Columns", 1, 8, 6, 5, 75, 3, 1, 0, "none" },
        { "Columns", 2, 5, 7, 6, 9, 3, 1, 1, "none" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Conv2d_matches_a_direct_convolution(string method, int batch, int inChannels, int outChannels, int height, int width, int kernel,
        int stride, int padding, string residual)
    {
        var geometry = Conv2dGeometry.Square(inChannels, outChannels, kernel, stride, padding);
        Assert.Equal(Enum.Parse<Conv2dMethod>(method), CpuPreparedConv2d.Choose(geometry));
        var random = new Random(inChannels * 1000 + width);
        var x = Values(random, batch * inChannels * height * width, 1f);
        var w = Values(random, geometry.WeightLength, 1f / MathF.Sqrt(inChannels * kernel * kernel));
        var bias = Values(random, outChannels, 0.3f);
        var (outHeight, outWidth) = (geometry.OutputHeight(height), geometry.OutputWidth(width));
        var r = Values(random, batch * outChannels * outHeight * outWidth, 1f);

        var layer = _backend.PrepareConv2d(w, bias, geometry);
        var input = _workspace.Allocate(batch, inChannels, height, width);
        _backend.Upload(x, input);
        var result = _workspace.Allocate(batch, outChannels, outHeight, outWidth);
        var separate = _workspace.Allocate(result.Shape);
        _backend.Upload(r, residual == "apart" ? separate : result);
        _backend.Conv2d(input, layer, result, Activation.Relu,
            residual switch { "apart" => separate, "in_place" => result, _ => null });

        var expected = new double[result.ElementCount];
        for (var b = 0; b < batch; b++)
        {
            for (var o = 0; o < outChannels; o++)
            {
                for (var i = 0; i < outHeight; i++)
                {
                    for (var j = 0; j < outWidth; j++)
                    {
                        var index = ((b * outChannels + o) * outHeight + i) * outWidth + j;
                        double sum = bias[o] + (residual == "none" ? 0 : r[index]);
                        for (var c = 0; c < inChannels; c++)
                        {
                            for (var ki = 0; ki < kernel; ki++)
                            {
                                for (var kj = 0; kj < kernel; kj++)
                                {
                                    var (row, column) = (i * stride - padding + ki, j * stride - padding + kj);
                                    if (row >= 0 && row < height && column >= 0 && column < width)
                                    {
                                        sum += (double)w[((o * inChannels + c) * kernel + ki) * kernel + kj]
                                            * x[((b * inChannels + c) * height + row) * width + column];
                                    }
                                }
                            }
                        }
                        expected[index] = Math.Max(sum, 0);
                    }
                }
            }
        }
        var deviation = Deviation.Of(Read(_backend, result), expected);
        output.WriteLine($"{method} {inChannels}→{outChannels} {height}×{width}: {deviation}");
        Assert.True(deviation.Relative <= Tolerance, deviation.ToString());
    }

    [Fact]
    public void Banded_pointwise_conv1d_matches_the_dense_sum()
    {
        const int Out = 20, In = 300, Length = 37, Batch = 2;
        var random = new Random(7);
        var weight = new float[Out * In];
        for (var o = 0; o < Out; o++)
        {
            // Triangles over a few inputs each, one row all zeros: a filterbank's shape.
            for (var c = o * 15; c < o * 15 + 9 && o != 3; c++)
            {
                weight[o * In + c] = random.NextSingle();
            }
        }
        var x = Values(random, Batch * In * Length, 1f);
        var r = Values(random, Batch * Out * Length, 1f);
        var layer = _backend.PrepareConv1d(weight, default, new Conv1dGeometry(In, Out, 1));
        Assert.NotNull(((CpuPreparedConv1d)layer).Bands);
        var input = _workspace.Allocate(Batch, In, Length);
        _backend.Upload(x, input);
        var result = _workspace.Allocate(Batch, Out, Length);
        _backend.Upload(r, result);
        _backend.Conv1d(input, layer, result, residual: result);

        var expected = new double[result.ElementCount];
        for (var b = 0; b < Batch; b++)
        {
            for (var o = 0; o < Out; o++)
            {
                for (var t = 0; t < Length; t++)
                {
                    double sum = r[(b * Out + o) * Length + t];
                    for (var c = 0; c < In; c++)
                    {
                        sum += (double)weight[o * In + c] * x[(b * In + c) * Length + t];
                    }
                    expected[(b * Out + o) * Length + t] = sum;
                }
            }
        }
        var deviation = Deviation.Of(Read(_backend, result), expected);
        Assert.True(deviation.Relative <= Tolerance, deviation.ToString());
        Assert.Null(((CpuPreparedConv1d)_backend.PrepareConv1d(Values(random, Out * In, 1f), default, new Conv1dGeometry(In, Out, 1))).Bands);
    }

    [Fact]
    public void Winograd_filter_transform_gives_u_equal_g_g_gt()
    {
        // A single tap at the centre: G·g·Gᵀ is the outer product of G's middle column with itself.
        var filter = new float[9];
        filter[4] = 1f;
        var transformed = WinogradKernels.TransformFilters(filter, 1, 1);
        double[] middle = [0, -1 / 6.0, 1 / 6.0, 1 / 12.0, -1 / 12.0, 0];
        for (var i = 0; i < 6; i++)
        {
            for (var j = 0; j < 6; j++)
            {
                Assert.Equal(middle[i] * middle[j], transformed[i * 6 + j], 1e-7);
            }
        }
    }

    private static float[] Values(Random random, int count, float scale)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (random.NextSingle() * 2 - 1) * scale;
        }
        return values;
    }
}

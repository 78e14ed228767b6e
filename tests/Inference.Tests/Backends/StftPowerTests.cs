using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Backends.Cpu;
using static MusicSearch.Inference.Tests.Backends.ReferenceChecks;
using Xunit.Abstractions;

namespace MusicSearch.Inference.Tests.Backends;

/// <summary>The short-time power spectrum and the FFT under it, against a direct DFT in double precision.</summary>
[Collection(BackendTestGroup.Name)]
public sealed class StftPowerTests(BackendFixture fixture, ITestOutputHelper output) : IDisposable
{
    /// <summary>fp32 FFT rounding relative to the largest value (measured ≤ 1e-6 on these cases).</summary>
    private const double FftTolerance = 1e-5;

    private readonly IComputeBackend _backend = fixture.Backend;
    private readonly Workspace _workspace = fixture.Backend.CreateWorkspace();

    public void Dispose() => _workspace.Dispose();

    public static TheoryData<int, int, int, PaddingMode, float, int, int> Cases => new()
    {
        // n_fft, hop, padding, mode, exponent, batch, samples
        { 2048, 240, 1024, PaddingMode.Reflect, 2f, 2, 4801 },   // MusicFM: radix 4 and 2, frames not a multiple of 8
        { 400, 160, 200, PaddingMode.Zeros, 1f, 1, 16077 },      // 200 = 4·2·5·5: the generic radix
        { 512, 128, 256, PaddingMode.Reflect, 1.5f, 1, 9000 },
        { 15, 4, 0, PaddingMode.Zeros, 2f, 2, 60 },             // odd n_fft: a complex FFT of all 15 samples
        { 26, 5, 13, PaddingMode.Reflect, 2f, 1, 100 },          // 13 points: a prime radix
        { 2, 1, 1, PaddingMode.Reflect, 2f, 1, 5 },             // one-point FFT
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Power_spectrogram_matches_a_direct_dft(int nFft, int hop, int padding, PaddingMode mode, float exponent, int batch, int samples)
    {
        var random = new Random(nFft + hop);
        var signal = Values(random, batch * samples);
        var window = Values(random, nFft);
        var geometry = new StftGeometry(nFft, hop, padding, mode);
        var frames = (samples + 2 * padding - nFft) / hop + 1;
        var stft = _backend.PrepareStft(window, geometry);
        var input = _workspace.Allocate(batch, samples);
        _backend.Upload(signal, input);
        var result = _workspace.Allocate(batch, geometry.Bins, frames);
        _backend.StftPower(input, stft, exponent, result);

        var expected = new double[batch * geometry.Bins * frames];
        for (var b = 0; b < batch; b++)
        {
            for (var f = 0; f < frames; f++)
            {
                var frame = new double[nFft];
                for (var n = 0; n < nFft; n++)
                {
                    frame[n] = window[n] * (double)Padded(signal.AsSpan(b * samples, samples), (long)f * hop + n - padding, mode);
                }
                var spectrum = DirectDft(frame, new double[nFft]);
                for (var k = 0; k < geometry.Bins; k++)
                {
                    var (re, im) = spectrum[k];
                    expected[((long)b * geometry.Bins + k) * frames + f] = Math.Pow(re * re + im * im, exponent / 2.0);
                }
            }
        }
        var deviation = Deviation.Of(Read(_backend, result), expected);
        output.WriteLine($"n_fft {nFft}: {deviation}");
        Assert.True(deviation.Relative <= FftTolerance, deviation.ToString());
    }

    [Fact]
    public void Fft_kernels_match_a_direct_dft_for_every_length_up_to_64_and_some_larger_ones()
    {
        var lengths = Enumerable.Range(1, 64).Concat([81, 125, 127, 200, 1024]);
        foreach (var length in lengths)
        {
            var plan = new FftPlan(length);
            Assert.Equal(Enumerable.Range(0, length), plan.Permutation.Order());
            var random = new Random(length);
            var re = Values(random, FftKernels.Lanes * length);
            var im = Values(random, FftKernels.Lanes * length);
            var buffer = new float[length * FftKernels.ElementFloats];
            for (var n = 0; n < length; n++)
            {
                for (var lane = 0; lane < FftKernels.Lanes; lane++)
                {
                    buffer[plan.Permutation[n] * FftKernels.ElementFloats + lane] = re[lane * length + n];
                    buffer[plan.Permutation[n] * FftKernels.ElementFloats + FftKernels.Lanes + lane] = im[lane * length + n];
                }
            }
            Transform(plan, buffer);

            double error = 0, largest = 0;
            for (var lane = 0; lane < FftKernels.Lanes; lane++)
            {
                var expected = DirectDft(
                    re.AsSpan(lane * length, length).ToArray().Select(v => (double)v).ToArray(),
                    im.AsSpan(lane * length, length).ToArray().Select(v => (double)v).ToArray());
                for (var k = 0; k < length; k++)
                {
                    var (actualRe, actualIm) = (buffer[k * FftKernels.ElementFloats + lane], buffer[k * FftKernels.ElementFloats + FftKernels.Lanes + lane]);
                    error = Math.Max(error, Math.Max(Math.Abs(actualRe - expected[k].Re), Math.Abs(actualIm - expected[k].Im)));
                    largest = Math.Max(largest, Math.Max(Math.Abs(expected[k].Re), Math.Abs(expected[k].Im)));
                }
            }
            Assert.True(error <= FftTolerance * largest, $"length {length}: max |err| {error:E2} of max |X| {largest:G4}");
        }
    }

    [Fact]
    public void Bad_geometry_and_shapes_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => _backend.PrepareStft(new float[8], new StftGeometry(8, 0, 4, PaddingMode.Reflect)));
        Assert.Throws<ArgumentException>(() => _backend.PrepareStft(new float[7], new StftGeometry(8, 2, 4, PaddingMode.Reflect)));
        var stft = _backend.PrepareStft(new float[8], new StftGeometry(8, 2, 4, PaddingMode.Reflect));
        var signal = _workspace.Allocate(1, 20);
        var error = Assert.Throws<ArgumentException>(() => _backend.StftPower(signal, stft, 2f, _workspace.Allocate(1, 5, 12)));
        Assert.Contains("run past", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => _backend.StftPower(signal, stft, 2f, _workspace.Allocate(1, 4, 11)));
        error = Assert.Throws<ArgumentException>(() => _backend.StftPower(_workspace.Allocate(1, 4), stft, 2f, _workspace.Allocate(1, 5, 1)));
        Assert.Contains("Reflect padding", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => _backend.StftPower(signal, stft, 0f, _workspace.Allocate(1, 5, 11)));
    }

    private static unsafe void Transform(FftPlan plan, float[] buffer)
    {
        var scratch = new float[plan.MaxRadix * FftKernels.ElementFloats];
        fixed (float* data = buffer)
        fixed (float* butterfly = scratch)
        {
            FftKernels.Transform(plan.Tables, data, butterfly);
        }
    }

    private static (double Re, double Im)[] DirectDft(double[] re, double[] im)
    {
        var length = re.Length;
        var (cos, sin) = (new double[length], new double[length]);
        for (var m = 0; m < length; m++)
        {
            (cos[m], sin[m]) = (Math.Cos(2 * Math.PI * m / length), -Math.Sin(2 * Math.PI * m / length));
        }
        var result = new (double, double)[length];
        for (var k = 0; k < length; k++)
        {
            double sumRe = 0, sumIm = 0;
            for (var n = 0; n < length; n++)
            {
                var m = (int)((long)k * n % length);
                sumRe += re[n] * cos[m] - im[n] * sin[m];
                sumIm += re[n] * sin[m] + im[n] * cos[m];
            }
            result[k] = (sumRe, sumIm);
        }
        return result;
    }

    private static float Padded(ReadOnlySpan<float> signal, long index, PaddingMode mode) =>
        index >= 0 && index < signal.Length ? signal[(int)index]
        : mode == PaddingMode.Zeros ? 0f
        : signal[(int)(index < 0 ? -index : 2L * (signal.Length - 1) - index)];

    private static float[] Values(Random random, int count)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = random.NextSingle() - 0.5f;
        }
        return values;
    }
}

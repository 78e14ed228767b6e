using System.Globalization;
using System.Runtime.Intrinsics;
using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Backends.Cpu;
using MusicSearch.Inference.Tensors;
using static MusicSearch.Inference.Tests.Backends.ReferenceChecks;
using Xunit.Abstractions;

namespace MusicSearch.Inference.Tests.Backends;

/// <summary>Normalisations, activations, layout ops, softmax and rotary embedding against PyTorch in float64.</summary>
[Collection(BackendTestGroup.Name)]
public sealed class ElementwiseOpTests(BackendFixture fixture, ITestOutputHelper output) : IDisposable
{
    private readonly IComputeBackend _backend = fixture.Backend;
    private readonly ReferenceFile _reference = fixture.Reference;
    private readonly Workspace _workspace = fixture.Backend.CreateWorkspace();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public void LayerNorm_matches_torch() =>
        CheckAll(output, _reference, "layer_norm", name => Normalise(name, (input, gamma, beta, epsilon, result) =>
            _backend.LayerNorm(input, gamma, beta, epsilon, result)));

    [Fact]
    public void LayerNorm_over_channels_matches_torch_transpose_layer_norm_transpose() =>
        CheckAll(output, _reference, "layer_norm_channels", name => Normalise(name, (input, gamma, beta, epsilon, result) =>
            _backend.LayerNormOverChannels(input, gamma, beta, epsilon, result)));

    [Fact]
    public void GroupNorm_matches_torch() =>
        CheckAll(output, _reference, "group_norm", name => Normalise(name, (input, gamma, beta, epsilon, result) =>
            _backend.GroupNorm(input, _reference.Parameters(name).GetProperty("groups").GetInt32(), gamma, beta, epsilon, result)));

    [Fact]
    public void LayerNorm_runs_in_place()
    {
        const string name = "layer_norm/affine";
        var input = _reference.Load(_backend, _workspace, name, "input");
        _backend.LayerNorm(input, Upload(name, "gamma"), Upload(name, "beta"), 1e-5f, input);
        var deviation = Deviation.Of(Read(_backend, input), _reference.Doubles(name, "expected"));
        Assert.True(deviation.Relative <= Tolerance, deviation.ToString());
    }

    [Fact]
    public void Activations_match_torch_relu_silu_and_exact_gelu() =>
        CheckAll(output, _reference, "activation", name =>
        {
            var input = _reference.Load(_backend, _workspace, name, "input");
            var activation = _reference.Parameters(name).GetProperty("activation").GetString() switch
            {
                "relu" => Activation.Relu,
                "silu" => Activation.Silu,
                _ => Activation.Gelu,
            };
            _backend.Activate(input, activation, input);
            return Read(_backend, input);
        }, tolerance: 1e-6);

    [Fact]
    public void Erf_is_within_1e_7_relative_of_float64_erf_on_every_fp32_input_tried()
    {
        var input = _reference.Floats("erf", "input");
        var expected = _reference.Doubles("erf", "expected");
        double worst = 0, worstAt = 0;
        for (var i = 0; i < input.Length; i += 4)
        {
            var lanes = Vector256.Create(input[i], input[Math.Min(i + 1, input.Length - 1)], input[Math.Min(i + 2, input.Length - 1)],
                input[Math.Min(i + 3, input.Length - 1)]);
            var result = ErfMath.Erf(lanes);
            for (var lane = 0; lane < 4 && i + lane < input.Length; lane++)
            {
                var error = Math.Abs((float)result[lane] - expected[i + lane]) / Math.Abs(expected[i + lane]);
                if (error > worst)
                {
                    (worst, worstAt) = (error, input[i + lane]);
                }
            }
        }
        output.WriteLine($"erf: {input.Length} fp32 inputs, max relative error {worst:E3} at x = {worstAt:R}");
        Assert.True(worst <= 1e-7, $"max relative error {worst:E3} at x = {worstAt:R}");
    }

    [Fact]
    public async Task Erf_coefficients_are_those_fit_erf_py_derives()
    {
        var lines = (await ReferenceFile.RunScriptAsync("fit_erf.py")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        double[] Coefficients(string label) =>
            lines.Single(l => l.StartsWith(label + " ", StringComparison.Ordinal)).Split(' ').Skip(1)
                .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        AssertClose(Coefficients("small"), ErfMath.Small);
        AssertClose(Coefficients("large"), ErfMath.Large);
        output.WriteLine(string.Join(Environment.NewLine, lines.Where(l => l.StartsWith("max", StringComparison.Ordinal))));

        static void AssertClose(double[] expected, double[] actual)
        {
            Assert.Equal(expected.Length, actual.Length);
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * Math.Abs(expected[i]), $"coefficient {i}: {actual[i]:R} vs {expected[i]:R}");
            }
        }
    }

    [Fact]
    public void Glu_matches_torch_on_channel_and_last_axes() =>
        CheckAll(output, _reference, "glu", name =>
        {
            var input = _reference.Load(_backend, _workspace, name, "input");
            var result = _workspace.Allocate(_reference.Shape(name, "expected"));
            _backend.Glu(input, _reference.Parameters(name).GetProperty("axis").GetInt32(), result);
            return Read(_backend, result);
        });

    [Fact]
    public void Scaled_add_matches_torch() =>
        CheckAll(output, _reference, "add", name =>
        {
            var input = _reference.Load(_backend, _workspace, name, "input");
            var other = _reference.Load(_backend, _workspace, name, "other");
            _backend.Add(input, other, other, _reference.Parameters(name).GetProperty("scale").GetSingle());
            return Read(_backend, other);
        });

    [Fact]
    public void Transpose_and_res2d_flatten_match_torch_exactly()
    {
        CheckAll(output, _reference, "transpose", name =>
        {
            var input = _reference.Load(_backend, _workspace, name, "input");
            var result = _workspace.Allocate(_reference.Shape(name, "expected"));
            _backend.Transpose(input, result);
            return Read(_backend, result);
        }, tolerance: 0);
        CheckAll(output, _reference, "flatten", name =>
        {
            // [B, C, F, T] → [B, T, C·F] is the transpose of the view [B, C·F, T].
            var input = _reference.Load(_backend, _workspace, name, "input");
            var (batch, channels, bins, frames) = (input.Shape[0], input.Shape[1], input.Shape[2], input.Shape[3]);
            var result = _workspace.Allocate(batch, frames, channels * bins);
            _backend.Transpose(input.Reshape(batch, channels * bins, frames), result);
            return Read(_backend, result);
        }, tolerance: 0);
    }

    [Fact]
    public void Mean_over_time_matches_torch() =>
        CheckAll(output, _reference, "mean_over_time", name =>
        {
            var input = _reference.Load(_backend, _workspace, name, "input");
            var result = _workspace.Allocate(input.Shape[0], input.Shape[2]);
            _backend.MeanOverTime(input, result);
            return Read(_backend, result);
        });

    [Fact]
    public void Softmax_is_stable_for_large_logits() =>
        CheckAll(output, _reference, "softmax", name =>
        {
            var input = _reference.Load(_backend, _workspace, name, "input");
            _backend.Softmax(input, input);
            var result = Read(_backend, input);
            Assert.All(result, v => Assert.True(float.IsFinite(v)));
            return result;
        });

    [Fact]
    public void Rotary_tables_equal_hf_fp32_tables()
    {
        var (cos, sin) = RotaryTables.Compute(1000, 64, 10000.0);
        var expectedCos = _reference.Floats("rotary_tables", "cos");
        var expectedSin = _reference.Floats("rotary_tables", "sin");
        var identical = 0;
        double worst = 0;
        for (var i = 0; i < cos.Length; i++)
        {
            identical += (cos[i] == expectedCos[i] ? 1 : 0) + (sin[i] == expectedSin[i] ? 1 : 0);
            worst = Math.Max(worst, Math.Max(Math.Abs(cos[i] - expectedCos[i]), Math.Abs(sin[i] - expectedSin[i])));
        }
        output.WriteLine($"rotary tables (1000 positions × 64): {identical} of {2 * cos.Length} values bit-identical, max |diff| {worst:E2}");
        // inv_freq and the angles are bit-identical; torch's vectorised cos/sin (SLEEF) is 1 ulp off the correctly
        // rounded value for about 5 % of these angles, where glibc's is right.
        Assert.True(worst <= 1.2e-7, $"max |diff| {worst:E2}");
        Assert.True(identical >= 0.9 * 2 * cos.Length, $"only {identical} of {2 * cos.Length} values are bit-identical");
    }

    [Fact]
    public void Rotary_matches_the_hf_conformer_implementation() =>
        CheckAll(output, _reference, "rotary", name =>
        {
            var parameters = _reference.Parameters(name);
            var headDim = parameters.GetProperty("head_dim").GetInt32();
            var (cosValues, sinValues) = RotaryTables.Compute(1000, headDim, parameters.GetProperty("base").GetDouble());
            var cos = _backend.Upload(cosValues, new TensorShape(1000, headDim));
            var sin = _backend.Upload(sinValues, new TensorShape(1000, headDim));
            var input = _reference.Load(_backend, _workspace, name, "input");
            _backend.Rotary(input, cos, sin, input);
            return Read(_backend, input);
        });

    private float[] Normalise(string name, Action<Tensor, Tensor?, Tensor?, float, Tensor> op)
    {
        var input = _reference.Load(_backend, _workspace, name, "input");
        var result = _workspace.Allocate(input.Shape);
        op(input, Upload(name, "gamma"), Upload(name, "beta"), (float)_reference.Parameters(name).GetProperty("epsilon").GetDouble(), result);
        return Read(_backend, result);
    }

    private Tensor? Upload(string name, string tensor) =>
        _reference.Has(name, tensor) ? _backend.Upload(_reference.Floats(name, tensor), _reference.Shape(name, tensor)) : null;
}

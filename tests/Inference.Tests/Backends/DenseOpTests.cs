using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Tensors;
using static MusicSearch.Inference.Tests.Backends.ReferenceChecks;
using Xunit.Abstractions;

namespace MusicSearch.Inference.Tests.Backends;

/// <summary>Linear, the convolutions (with BatchNorm and weight-norm folding) and attention against PyTorch in float64.</summary>
[Collection(BackendTestGroup.Name)]
public sealed class DenseOpTests(BackendFixture fixture, ITestOutputHelper output) : IDisposable
{
    private readonly IComputeBackend _backend = fixture.Backend;
    private readonly ReferenceFile _reference = fixture.Reference;
    private readonly Workspace _workspace = fixture.Backend.CreateWorkspace();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public void Linear_with_fused_bias_activation_and_residual_matches_torch() =>
        CheckAll(output, _reference, "linear", name =>
        {
            var parameters = _reference.Parameters(name);
            var weightShape = _reference.Shape(name, "weight");
            var layer = _backend.PrepareLinear(_reference.Floats(name, "weight"),
                _reference.Has(name, "bias") ? _reference.Floats(name, "bias") : default, weightShape[0], weightShape[1]);
            var input = _reference.Load(_backend, _workspace, name, "input");
            var result = _workspace.Allocate(input.Shape.WithLast(weightShape[0]));
            Tensor? residual = parameters.GetProperty("residual").GetString() switch
            {
                "separate" => _reference.Load(_backend, _workspace, name, "residual"),
                "in_place" => result,
                _ => null,
            };
            if (parameters.GetProperty("residual").GetString() == "in_place")
            {
                _backend.Upload(_reference.Floats(name, "residual"), result);
            }
            _backend.Linear(input, layer, result, ParseActivation(parameters.GetProperty("activation").GetString()), residual,
                parameters.GetProperty("scale").GetSingle());
            return Read(_backend, result);
        });

    [Fact]
    public void Conv2d_matches_torch() =>
        CheckAll(output, _reference, "conv2d", name =>
        {
            var parameters = _reference.Parameters(name);
            var weightShape = _reference.Shape(name, "weight");
            var stride = parameters.GetProperty("stride");
            var padding = parameters.GetProperty("padding").GetInt32();
            var geometry = new Conv2dGeometry(weightShape[1], weightShape[0], weightShape[2], weightShape[3],
                stride[0].GetInt32(), stride[1].GetInt32(), padding, padding);
            var layer = _backend.PrepareConv2d(_reference.Floats(name, "weight"),
                _reference.Has(name, "bias") ? _reference.Floats(name, "bias") : default, geometry);
            var input = _reference.Load(_backend, _workspace, name, "input");
            var result = _workspace.Allocate(_reference.Shape(name, "expected"));
            Tensor? residual = _reference.Has(name, "residual") ? _reference.Load(_backend, _workspace, name, "residual") : null;
            _backend.Conv2d(input, layer, result, ParseActivation(parameters.GetProperty("activation").GetString()), residual);
            return Read(_backend, result);
        });

    [Fact]
    public void Res2d_block_with_folded_batch_norms_matches_torch_conv_batch_norm_relu() =>
        CheckAll(output, _reference, "res2d", name =>
        {
            var stride = _reference.Parameters(name).GetProperty("stride").GetInt32();
            PreparedConv2d Fold(string conv, string bn, int convStride)
            {
                var shape = _reference.Shape(name, $"{conv}.weight");
                var (weight, bias) = WeightFolding.FoldBatchNorm(_reference.Floats(name, $"{conv}.weight"), _reference.Floats(name, $"{conv}.bias"),
                    _reference.Floats(name, $"{bn}.weight"), _reference.Floats(name, $"{bn}.bias"),
                    _reference.Floats(name, $"{bn}.running_mean"), _reference.Floats(name, $"{bn}.running_var"), 1e-5);
                return _backend.PrepareConv2d(weight, bias, Conv2dGeometry.Square(shape[1], shape[0], 3, convStride, 1));
            }
            var conv1 = Fold("conv1", "bn1", stride);
            var conv2 = Fold("conv2", "bn2", 1);
            var conv3 = Fold("conv3", "bn3", stride);
            var input = _reference.Load(_backend, _workspace, name, "input");
            var outputShape = _reference.Shape(name, "expected");
            var shortcut = _workspace.Allocate(outputShape);
            var main = _workspace.Allocate(outputShape);
            var result = _workspace.Allocate(outputShape);
            _backend.Conv2d(input, conv3, shortcut);
            _backend.Conv2d(input, conv1, main, Activation.Relu);
            _backend.Conv2d(main, conv2, result, Activation.Relu, residual: shortcut);
            return Read(_backend, result);
        });

    [Fact]
    public void Conv1d_depthwise_grouped_strided_and_pointwise_match_torch() =>
        CheckAll(output, _reference, "conv1d", name =>
        {
            var parameters = _reference.Parameters(name);
            var weightShape = _reference.Shape(name, "weight");
            var padding = parameters.GetProperty("padding");
            var groups = parameters.GetProperty("groups").GetInt32();
            var geometry = new Conv1dGeometry(weightShape[1] * groups, weightShape[0], weightShape[2], parameters.GetProperty("stride").GetInt32(),
                padding[0].GetInt32(), padding[1].GetInt32(), groups);
            var weight = _reference.Floats(name, "weight");
            var bias = _reference.Has(name, "bias") ? _reference.Floats(name, "bias") : [];
            if (_reference.Has(name, "bn.weight"))
            {
                (weight, bias) = WeightFolding.FoldBatchNorm(weight, bias, _reference.Floats(name, "bn.weight"), _reference.Floats(name, "bn.bias"),
                    _reference.Floats(name, "bn.running_mean"), _reference.Floats(name, "bn.running_var"), 1e-5);
            }
            if (_reference.Has(name, "weight_g"))
            {
                weight = WeightFolding.MaterializeWeightNorm(_reference.Floats(name, "weight_g"), weight);
            }
            var layer = _backend.PrepareConv1d(weight, bias, geometry);
            var input = _reference.Load(_backend, _workspace, name, "input");
            var result = _workspace.Allocate(_reference.Shape(name, "expected"));
            Assert.Equal(result.Shape[2], geometry.OutputLength(input.Shape[2]));
            Tensor? residual = _reference.Has(name, "residual") ? _reference.Load(_backend, _workspace, name, "residual") : null;
            _backend.Conv1d(input, layer, result, ParseActivation(parameters.GetProperty("activation").GetString()), residual);
            return Read(_backend, result);
        });

    [Fact]
    public void Attention_matches_the_explicit_softmax_formula() =>
        CheckAll(output, _reference, "attention", name =>
        {
            var query = _reference.Load(_backend, _workspace, name, "query");
            var key = _reference.Load(_backend, _workspace, name, "key");
            var value = _reference.Load(_backend, _workspace, name, "value");
            var result = _workspace.Allocate(query.Shape);
            _backend.Attention(query, key, value, _reference.Parameters(name).GetProperty("heads").GetInt32(), result);
            return Read(_backend, result);
        });

    [Fact]
    public void Shape_mismatches_are_rejected_with_the_offending_argument()
    {
        var layer = _backend.PrepareLinear(new float[12], default, 3, 4);
        var input = _workspace.Allocate(2, 5);
        var error = Assert.Throws<ArgumentException>(() => _backend.Linear(input, layer, _workspace.Allocate(2, 3)));
        Assert.Contains("4 input features", error.Message, StringComparison.Ordinal);

        var conv = _backend.PrepareConv1d(new float[2 * 3 * 5], default, new Conv1dGeometry(3, 2, 5));
        error = Assert.Throws<ArgumentException>(() => _backend.Conv1d(_workspace.Allocate(1, 3, 4), conv, _workspace.Allocate(1, 2, 1)));
        Assert.Contains("fewer than the kernel", error.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentException>(() => _backend.PrepareConv1d(new float[7], default, new Conv1dGeometry(3, 2, 5)));
        Assert.Throws<ArgumentException>(() => _backend.PrepareConv1d(new float[10], default, new Conv1dGeometry(3, 2, 5, Groups: 2)));

        var x = _workspace.Allocate(1, 4, 8);
        error = Assert.Throws<ArgumentException>(() => _backend.Attention(x, x, x, 3, _workspace.Allocate(1, 4, 8)));
        Assert.Contains("3 heads", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => _backend.Attention(x, x, x, 2, x));
        Assert.Contains("overlaps", error.Message, StringComparison.Ordinal);
    }

    private static Activation ParseActivation(string? name) => name switch
    {
        "relu" => Activation.Relu,
        "silu" => Activation.Silu,
        "gelu" => Activation.Gelu,
        _ => Activation.None,
    };
}

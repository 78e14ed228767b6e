using System.Runtime.InteropServices;
using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Backends.Cpu;
using MusicSearch.Inference.Packages;
using MusicSearch.Inference.Tensors;
using MusicSearch.Testing;

namespace MusicSearch.Inference.Tests.Backends;

public sealed class WeightLoadingTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();
    private readonly CpuBackend _backend = new(1);

    public void Dispose()
    {
        _backend.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public void Checkpoint_tensors_upload_and_prepare_by_name()
    {
        var path = _directory.File("weights.safetensors");
        var halves = new[] { (Half)1.5f, (Half)(-2f), (Half)0.25f };
        new SafeTensorsWriter()
            .Add("norm.weight", TensorDType.F16, [3], MemoryMarshal.AsBytes<Half>(halves))
            .Add("proj.weight", [2, 3], [1f, 0f, 0f, 0f, 1f, 1f])
            .Add("proj.bias", [2], [10f, 20f])
            .Add("pointwise.weight", [2, 3, 1], [1f, 1f, 1f, 0f, 0f, 2f])
            .Add("odd.weight", [2, 3, 2], new float[12])
            .Save(path);
        using var weights = SafeTensorsFile.Open(path);
        using var workspace = _backend.CreateWorkspace();

        var norm = _backend.Upload(weights, "norm.weight");
        Assert.Equal(new TensorShape(3), norm.Shape);
        var values = new float[3];
        _backend.Download(norm, values);
        Assert.Equal([1.5f, -2f, 0.25f], values);

        var input = workspace.Allocate(1, 3);
        _backend.Upload([1f, 2f, 3f], input);
        var result = workspace.Allocate(1, 2);
        var projection = _backend.PrepareLinear(weights, "proj");
        Assert.True(projection.HasBias);
        _backend.Linear(input, projection, result);
        var output = new float[2];
        _backend.Download(result, output);
        Assert.Equal([11f, 25f], output);

        var pointwise = _backend.PrepareLinear(weights, "pointwise");
        Assert.False(pointwise.HasBias);
        _backend.Linear(input, pointwise, result);
        _backend.Download(result, output);
        Assert.Equal([6f, 6f], output);

        Assert.Throws<ModelPackageException>(() => _backend.PrepareLinear(weights, "odd"));
        Assert.Throws<ModelPackageException>(() => _backend.PrepareLinear(weights, "missing"));
    }
}

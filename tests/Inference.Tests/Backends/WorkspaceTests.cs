using MusicSearch.Inference.Backends;
using MusicSearch.Inference.Backends.Cpu;
using MusicSearch.Inference.Tensors;
using Xunit.Abstractions;

namespace MusicSearch.Inference.Tests.Backends;

/// <summary>The activation arena: steady state without allocation, scopes, stale views.</summary>
public sealed class WorkspaceTests(ITestOutputHelper output) : IDisposable
{
    private readonly CpuBackend _backend = new();

    public void Dispose() => _backend.Dispose();

    [Fact]
    public void Second_forward_of_the_same_shapes_allocates_nothing_managed_or_native()
    {
        using var workspace = _backend.CreateWorkspace();
        var layer = new MiniatureLayer(_backend);
        var input = new float[MiniatureLayer.Length * MiniatureLayer.Width];
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = MathF.Sin(i * 0.37f);
        }

        // The first pass sizes the arena (growing block by block); the reset merges the blocks into one.
        layer.Forward(input, workspace);
        var firstPassAllocations = workspace.AllocationCount;
        var first = layer.Result.ToArray();
        workspace.Reset();
        var capacity = workspace.CapacityBytes;
        var allocations = workspace.AllocationCount;
        var scratchAllocations = _backend.ScratchAllocationCount;

        long managed = 0;
        for (var pass = 0; pass < 5; pass++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            layer.Forward(input, workspace);
            workspace.Reset();
            managed = Math.Max(managed, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        output.WriteLine($"first pass: arena peak {workspace.PeakBytes / 1024.0:F0} KiB reached in {firstPassAllocations} native block(s), " +
            $"then one block of {capacity / 1024.0:F0} KiB; backend scratch peak {_backend.ScratchPeakBytes / 1024.0:F0} KiB; " +
            $"each later pass: {managed} managed bytes, {workspace.AllocationCount - allocations} arena and " +
            $"{_backend.ScratchAllocationCount - scratchAllocations} scratch allocations");
        Assert.Equal(0, managed);
        Assert.Equal(allocations, workspace.AllocationCount);
        Assert.Equal(capacity, workspace.CapacityBytes);
        Assert.Equal(scratchAllocations, _backend.ScratchAllocationCount);
        Assert.True(workspace.PeakBytes <= workspace.CapacityBytes);
        Assert.Equal(first, layer.Result);
    }

    [Fact]
    public void A_growing_pass_is_consolidated_into_one_block_of_the_peak_size()
    {
        using var workspace = _backend.CreateWorkspace();
        workspace.Allocate(1 << 21);
        workspace.Allocate(1 << 22);
        workspace.Allocate(1 << 23);
        Assert.True(workspace.AllocationCount > 1);
        var peak = workspace.PeakBytes;
        workspace.Reset();
        Assert.Equal(peak, workspace.CapacityBytes);
        var allocations = workspace.AllocationCount;
        workspace.Allocate(1 << 21);
        workspace.Allocate(1 << 22);
        workspace.Allocate(1 << 23);
        Assert.Equal(allocations, workspace.AllocationCount);
        Assert.Equal(peak, workspace.BytesInUse);
    }

    [Fact]
    public void Tensors_are_64_byte_aligned_and_reuse_memory_after_a_scope()
    {
        using var workspace = _backend.CreateWorkspace();
        var kept = workspace.Allocate(3);
        Tensor temporary;
        using (workspace.BeginScope())
        {
            temporary = workspace.Allocate(5, 7);
            Assert.Equal(16L, temporary.Offset - kept.Offset);
        }
        var reused = workspace.Allocate(2);
        Assert.Equal(temporary.Offset, reused.Offset);
        Assert.Equal(0L, kept.Offset % Workspace.AlignmentElements);
    }

    [Fact]
    public void A_view_used_after_reset_is_rejected()
    {
        using var workspace = _backend.CreateWorkspace();
        var stale = workspace.Allocate(4, 8);
        workspace.Reset();
        Assert.False(stale.IsValid);
        var error = Assert.Throws<InvalidOperationException>(() => _backend.Activate(stale, Activation.Relu, workspace.Allocate(4, 8)));
        Assert.Contains("stale", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => _backend.Activate(default, Activation.Relu, workspace.Allocate(4, 8)));
    }

    [Fact]
    public void Scopes_must_end_innermost_first_and_once()
    {
        using var workspace = _backend.CreateWorkspace();
        var outer = workspace.BeginScope();
        var inner = workspace.BeginScope();
        Assert.Throws<InvalidOperationException>(outer.Dispose);
        inner.Dispose();
        Assert.Throws<InvalidOperationException>(inner.Dispose);
        outer.Dispose();
        Assert.Equal(0, workspace.BytesInUse);
    }

    [Fact]
    public void Views_reshape_and_slice_without_copying()
    {
        using var workspace = _backend.CreateWorkspace();
        var x = workspace.Allocate(2, 3, 4);
        _backend.Upload(Enumerable.Range(0, 24).Select(i => (float)i).ToArray(), x);
        var second = x.Slice(1, 1).Reshape(12);
        var values = new float[12];
        _backend.Download(second, values);
        Assert.Equal(Enumerable.Range(12, 12).Select(i => (float)i), values);
        Assert.Throws<ArgumentException>(() => x.Reshape(5, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => x.Slice(1, 2));
        Assert.Equal("[2, 3, 4]", x.Shape.ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => new TensorShape(2, 0));
    }

    /// <summary>A Conformer-like block at toy size touching every op kind, for the allocation measurement.</summary>
    private sealed class MiniatureLayer
    {
        private readonly CpuBackend _backend;
        private readonly PreparedLinear _up, _down, _query, _pointwise;
        private readonly PreparedConv1d _depthwise, _strided;
        private readonly PreparedConv2d _conv2d;
        private readonly PreparedStft _stft;
        private readonly Tensor _gamma, _beta, _cos, _sin;

        public MiniatureLayer(CpuBackend backend)
        {
            _backend = backend;
            var random = new Random(7);
            float[] Values(int n) => Enumerable.Range(0, n).Select(_ => (random.NextSingle() - 0.5f) * 0.2f).ToArray();
            _up = backend.PrepareLinear(Values(4 * Width * Width), Values(4 * Width), 4 * Width, Width);
            _down = backend.PrepareLinear(Values(4 * Width * Width), Values(Width), Width, 4 * Width);
            _query = backend.PrepareLinear(Values(Width * Width), Values(Width), Width, Width);
            _pointwise = backend.PrepareLinear(Values(2 * Width * Width), default, 2 * Width, Width);
            _depthwise = backend.PrepareConv1d(Values(Width * 31), Values(Width), new Conv1dGeometry(Width, Width, 31, 1, 15, 15, Width));
            _strided = backend.PrepareConv1d(Values(Width * Width * 3), default, new Conv1dGeometry(Width, Width, 3, 2));
            _conv2d = backend.PrepareConv2d(Values(8 * 9), Values(8), Conv2dGeometry.Square(1, 8, 3, 2, 1));
            _stft = backend.PrepareStft(Values(64), new StftGeometry(64, 100, 32, PaddingMode.Reflect));
            _gamma = backend.Upload(Values(Width), new TensorShape(Width));
            _beta = backend.Upload(Values(Width), new TensorShape(Width));
            var (cos, sin) = RotaryTables.Compute(Length, 64, 10000);
            _cos = backend.Upload(cos, new TensorShape(Length, 64));
            _sin = backend.Upload(sin, new TensorShape(Length, 64));
        }

        public const int Length = 300;

        public const int Width = 128;

        public float[] Result { get; } = new float[128];

        public void Forward(float[] input, Workspace workspace)
        {
            var b = _backend;
            var x = workspace.Allocate(1, Length, Width);
            b.Upload(input, x);
            var pooled = workspace.Allocate(1, Width);
            using (workspace.BeginScope())
            {
                var h = workspace.Allocate(x.Shape);
                b.LayerNorm(x, _gamma, _beta, 1e-5f, h);
                var wide = workspace.Allocate(1, Length, 4 * Width);
                b.Linear(h, _up, wide, Activation.Silu);
                b.Linear(wide, _down, x, residual: x, scale: 0.5f);
                b.Rotary(h, _cos, _sin, h);
                var q = workspace.Allocate(x.Shape);
                b.Linear(h, _query, q);
                var attended = workspace.Allocate(x.Shape);
                b.Attention(q, q, h, 2, attended);
                b.Add(x, attended, x);
                var gated = workspace.Allocate(1, Length, 2 * Width);
                b.Linear(x, _pointwise, gated);
                var glu = workspace.Allocate(1, Length, Width);
                b.Glu(gated, -1, glu);
                var channels = workspace.Allocate(1, Width, Length);
                b.Transpose(glu, channels);
                var convolved = workspace.Allocate(1, Width, Length);
                b.Conv1d(channels, _depthwise, convolved, Activation.Silu);
                b.GroupNorm(convolved, Width, _gamma, _beta, 1e-5f, convolved);
                b.LayerNormOverChannels(convolved, _gamma, _beta, 1e-5f, convolved);
                var strided = workspace.Allocate(1, Width, _strided.Geometry.OutputLength(Length));
                b.Conv1d(convolved, _strided, strided, Activation.Gelu);
                var image = workspace.Allocate(1, 8, 32, 300);
                b.Conv2d(convolved.Reshape(1, 1, 64, 600), _conv2d, image, Activation.Relu);
                b.Softmax(image, image);
                var power = workspace.Allocate(1, _stft.Geometry.Bins, 10);
                b.StftPower(convolved.Reshape(1, Width * Length), _stft, 2f, power);
                b.PowerToDecibels(power, 1e-10f, 0f, 1f, power);
                b.Transpose(channels, x);
            }
            b.MeanOverTime(x, pooled);
            b.Download(pooled, Result);
        }
    }
}

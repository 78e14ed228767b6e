using System.Runtime.InteropServices;
using MusicSearch.Inference.Packages;
using MusicSearch.Testing;

namespace MusicSearch.Inference.Tests.Packages;

public sealed class SafeTensorsFileTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Written_tensors_read_back_bit_exactly_with_metadata()
    {
        var matrix = Enumerable.Range(0, 12).Select(i => i * 0.5f - 3f).ToArray();
        var ints = new long[] { long.MinValue, -1, 0, long.MaxValue };
        var path = _directory.File("a.safetensors");
        new SafeTensorsWriter()
            .AddMetadata("format", "pt")
            .Add("layer.weight", [3, 4], matrix)
            .Add("counter", TensorDType.I64, [4], MemoryMarshal.AsBytes<long>(ints))
            .Add("empty", TensorDType.F32, [0, 5], [])
            .Save(path);

        using var file = SafeTensorsFile.Open(path);
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal(["layer.weight", "counter", "empty"], file.Tensors.Keys);
        Assert.Equal([3L, 4L], file.Get("layer.weight").Shape);
        Assert.Equal(matrix, file.GetSpan<float>("layer.weight").ToArray());
        Assert.Equal(ints, file.GetSpan<long>("counter").ToArray());
        Assert.Equal(0, file.GetSpan<float>("empty").Length);
    }

    [Fact]
    public void Writer_pads_the_header_so_fp32_spans_are_aligned()
    {
        var path = _directory.File("aligned.safetensors");
        new SafeTensorsWriter().Add("x", [3], [1f, 2f, 3f]).Save(path);
        var bytes = File.ReadAllBytes(path);
        var headerLength = BitConverter.ToUInt64(bytes, 0);
        Assert.Equal(0UL, headerLength % 8);
    }

    [Fact]
    public void F32_spans_are_views_of_the_mapping_not_copies()
    {
        var path = _directory.File("view.safetensors");
        new SafeTensorsWriter().Add("x", [2], [1f, 2f]).Save(path);
        using var file = SafeTensorsFile.Open(path);
        ref readonly var first = ref file.GetSpan<float>("x")[0];
        ref readonly var again = ref file.GetSpan<float>("x")[0];
        Assert.True(System.Runtime.CompilerServices.Unsafe.AreSame(in first, in again));
    }

    [Fact]
    public void Half_precision_tensors_widen_exactly()
    {
        Half[] halves = [(Half)1.5f, (Half)(-0.0f), Half.PositiveInfinity, (Half)65504f, Half.Epsilon];
        float[] values = [1.5f, 3.140625f, -2.5e-20f, float.NegativeInfinity];
        var bf16 = new ushort[values.Length];
        TensorConversion.SingleToBFloat16(values, bf16);
        var path = _directory.File("half.safetensors");
        new SafeTensorsWriter()
            .Add("h", TensorDType.F16, [halves.Length], MemoryMarshal.AsBytes<Half>(halves))
            .Add("b", TensorDType.BF16, [bf16.Length], MemoryMarshal.AsBytes<ushort>(bf16))
            .Save(path);

        using var file = SafeTensorsFile.Open(path);
        Assert.Equal(halves.Select(h => (float)h), file.ReadAsFloat32("h"));
        var widened = file.ReadAsFloat32("b");
        Assert.Equal(1.5f, widened[0]);
        Assert.Equal(3.140625f, widened[1]);
        Assert.Equal(float.NegativeInfinity, widened[3]);
        Assert.InRange(widened[2], -2.52e-20f, -2.48e-20f);
    }

    [Fact]
    public void Bf16_rounding_is_round_to_nearest_even()
    {
        // 1 + 2^-8 lies exactly between two bf16 values: ties go to the even mantissa (1.0).
        // 1 + 3·2^-9 lies above the midpoint of 1+2^-7 and 1+2^-8... and rounds up.
        float[] values = [1f + MathF.Pow(2, -8), 1f + 3 * MathF.Pow(2, -8), float.NaN];
        var bits = new ushort[3];
        TensorConversion.SingleToBFloat16(values, bits);
        Assert.Equal(0x3F80, bits[0]);
        Assert.Equal(0x3F82, bits[1]);
        Assert.Equal(0x7FC0, bits[2]);
    }

    [Fact]
    public void Integer_tensors_are_not_read_as_floats()
    {
        var path = _directory.File("ints.safetensors");
        new SafeTensorsWriter().Add("n", TensorDType.I32, [1], new byte[4]).Save(path);
        using var file = SafeTensorsFile.Open(path);
        var error = Assert.Throws<ModelPackageException>(() => file.ReadAsFloat32("n"));
        Assert.Contains("'n'", error.Message);
        Assert.Throws<ModelPackageException>(() => file.GetSpan<float>("n"));
    }

    [Fact]
    public void Missing_tensor_is_named()
    {
        var path = _directory.File("one.safetensors");
        new SafeTensorsWriter().Add("x", [1], [1f]).Save(path);
        using var file = SafeTensorsFile.Open(path);
        var error = Assert.Throws<ModelPackageException>(() => file.Get("conv.linear.weight"));
        Assert.Contains("'conv.linear.weight' is missing", error.Message);
    }

    [Fact]
    public void Missing_file_and_empty_file_give_clear_errors()
    {
        Assert.Contains("not found", Assert.Throws<ModelPackageException>(() => SafeTensorsFile.Open(_directory.File("absent"))).Message);
        var empty = _directory.File("empty.safetensors");
        File.WriteAllBytes(empty, []);
        Assert.Contains("truncated header", Assert.Throws<ModelPackageException>(() => SafeTensorsFile.Open(empty)).Message);
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 }, "truncated header")]
    public void Short_files_are_truncated_headers(byte[] content, string expected)
    {
        var path = _directory.File("short.safetensors");
        File.WriteAllBytes(path, content);
        Assert.Contains(expected, Assert.Throws<ModelPackageException>(() => SafeTensorsFile.Open(path)).Message);
    }

    [Fact]
    public void Header_length_past_the_end_of_file_is_rejected_on_open()
    {
        var path = _directory.File("long.safetensors");
        File.WriteAllBytes(path, SafeTensorsBytes.Build("{}", 0, headerLengthOverride: 1 << 20));
        Assert.Contains("points past the end", Assert.Throws<ModelPackageException>(() => SafeTensorsFile.Open(path)).Message);
    }

    [Fact]
    public void Writer_rejects_mismatched_data_and_duplicate_names()
    {
        var writer = new SafeTensorsWriter().Add("x", [2], [1f, 2f]);
        Assert.Throws<ArgumentException>(() => writer.Add("x", [1], [1f]));
        Assert.Throws<ArgumentException>(() => writer.Add("y", TensorDType.F32, [3], new byte[8]));
        Assert.Throws<ArgumentException>(() => writer.Add("__metadata__", [1], [1f]));
    }

    [Fact]
    public void Disposed_file_refuses_access()
    {
        var path = _directory.File("d.safetensors");
        new SafeTensorsWriter().Add("x", [1], [1f]).Save(path);
        var file = SafeTensorsFile.Open(path);
        file.Dispose();
        Assert.Throws<ObjectDisposedException>(() => file.GetBytes("x").Length);
    }
}

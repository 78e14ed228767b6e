using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using MusicSearch.Inference.Packages;
using MusicSearch.Testing;

namespace MusicSearch.Inference.Tests.Packages;

/// <summary>
/// The Python writer/reader (src/Training) and this one must agree bit for bit, both ways, on every dtype,
/// and on the f16/bf16 conversions PyTorch performs.
/// </summary>
public sealed class CrossLanguageSafeTensorsTests : IDisposable
{
    private const string Module = "musicsearch_training.safetensors_io";
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task File_written_by_python_reads_bit_exactly_here()
    {
        var path = _directory.File("python.safetensors");
        await ExternalTool.RunPythonModuleAsync(Module, "sample", path, "--seed", "11");
        var pythonView = await DigestAsync(path);

        using var file = SafeTensorsFile.Open(path);
        Assert.Equal("python", file.Metadata["writer"]);
        Assert.Equal(pythonView.Keys.Order(StringComparer.Ordinal), file.Tensors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains(file.Tensors.Values, t => t.DType == TensorDType.BF16);
        Assert.Contains(file.Tensors.Values, t => t.DType == TensorDType.Bool);
        foreach (var tensor in file.Tensors.Values)
        {
            var expected = pythonView[tensor.Name];
            Assert.Equal(expected.GetProperty("dtype").GetString(), tensor.DType.ToHeaderName());
            Assert.Equal(expected.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()), tensor.Shape);
            Assert.Equal(expected.GetProperty("sha256").GetString(), Sha256(file.GetBytes(tensor)));
            if (tensor.DType.IsFloatingPoint())
            {
                // Our widening of f16/bf16/f64 to fp32 must equal torch's .to(float32), bit for bit.
                Assert.Equal(expected.GetProperty("f32_sha256").GetString(), Sha256(MemoryMarshal.AsBytes<float>(file.ReadAsFloat32(tensor.Name))));
            }
        }
    }

    [Fact]
    public async Task File_written_here_reads_bit_exactly_in_python_and_survives_its_writer()
    {
        var random = new Random(5);
        var floats = new float[600];
        for (var i = 0; i < floats.Length; i++)
        {
            floats[i] = (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-42, 39)));
        }
        // No NaN here: torch itself maps NaN to 0x7FC0 (scalar path) or 0xFFFF (vectorised path), so NaN bits
        // are not a contract; SafeTensorsFileTests checks that NaN stays NaN.
        float[] specials = [0f, -0f, float.PositiveInfinity, float.NegativeInfinity, 1e-40f, -1e-42f, 65520f, 1f + MathF.Pow(2, -8), 3.4e38f];
        specials.CopyTo(floats, 0);
        var bf16 = new ushort[floats.Length];
        TensorConversion.SingleToBFloat16(floats, bf16);
        var halves = floats.Select(f => (Half)f).ToArray();
        var longs = Enumerable.Range(0, 9).Select(i => (long)random.NextInt64(long.MinValue, long.MaxValue)).ToArray();
        var bytes = new byte[17];
        random.NextBytes(bytes);
        var bools = bytes.Select(b => (byte)(b & 1)).ToArray();

        var path = _directory.File("csharp.safetensors");
        new SafeTensorsWriter()
            .AddMetadata("writer", "csharp")
            .Add("f32", [20, 30], floats)
            .Add("bf16", TensorDType.BF16, [floats.Length], MemoryMarshal.AsBytes<ushort>(bf16))
            .Add("f16", TensorDType.F16, [floats.Length], MemoryMarshal.AsBytes<Half>(halves))
            .Add("f64", TensorDType.F64, [3], MemoryMarshal.AsBytes<double>([Math.PI, -0.0, double.Epsilon]))
            .Add("i64", TensorDType.I64, [3, 3], MemoryMarshal.AsBytes<long>(longs))
            .Add("i32", TensorDType.I32, [2], MemoryMarshal.AsBytes<int>([int.MinValue, int.MaxValue]))
            .Add("i16", TensorDType.I16, [2], MemoryMarshal.AsBytes<short>([short.MinValue, short.MaxValue]))
            .Add("i8", TensorDType.I8, [17], bytes)
            .Add("u8", TensorDType.U8, [17], bytes)
            .Add("bool", TensorDType.Bool, [17], bools)
            .Add("scalar", [], [42f])
            .Save(path);

        var pythonView = await DigestAsync(path);
        using (var file = SafeTensorsFile.Open(path))
        {
            foreach (var tensor in file.Tensors.Values)
            {
                Assert.Equal(Sha256(file.GetBytes(tensor)), pythonView[tensor.Name].GetProperty("sha256").GetString());
            }
        }
        // Torch's rounding of the same fp32 values to bf16 and f16 equals ours.
        Assert.Equal(Sha256(MemoryMarshal.AsBytes<ushort>(bf16)), pythonView["f32"].GetProperty("as_bf16_sha256").GetString());
        Assert.Equal(Sha256(MemoryMarshal.AsBytes<Half>(halves)), pythonView["f32"].GetProperty("as_f16_sha256").GetString());

        // Python reads everything and writes it again with its own writer; the result is byte-identical.
        var copy = _directory.File("copy.safetensors");
        await ExternalTool.RunPythonModuleAsync(Module, "copy", path, copy);
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(copy));
    }

    private static async Task<Dictionary<string, JsonElement>> DigestAsync(string path)
    {
        var json = await ExternalTool.RunPythonModuleAsync(Module, "digest", path);
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("tensors").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }

    private static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}

using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace MusicSearch.Inference.Packages;

/// <summary>Conversions between stored tensor dtypes and the fp32 the CPU engine computes in.</summary>
public static class TensorConversion
{
    /// <summary>Converts little-endian stored elements to fp32; integer and bool dtypes are rejected.</summary>
    public static void ToFloat32(TensorDType dtype, ReadOnlySpan<byte> source, Span<float> destination, Func<string> describe)
    {
        switch (dtype)
        {
            case TensorDType.F32:
                MemoryMarshal.Cast<byte, float>(source).CopyTo(destination);
                break;
            case TensorDType.F16:
                TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(source), destination);
                break;
            case TensorDType.BF16:
                BFloat16ToSingle(MemoryMarshal.Cast<byte, ushort>(source), destination);
                break;
            case TensorDType.F64:
                var doubles = MemoryMarshal.Cast<byte, double>(source);
                for (var i = 0; i < doubles.Length; i++)
                {
                    destination[i] = (float)doubles[i];
                }
                break;
            default:
                throw new ModelPackageException($"{describe()}: dtype {dtype.ToHeaderName()} is not a floating-point type.");
        }
    }

    /// <summary>bf16 is the upper half of an fp32, so widening is exact: shift the bits into place.</summary>
    public static void BFloat16ToSingle(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        var bits = MemoryMarshal.Cast<float, uint>(destination);
        for (var i = 0; i < source.Length; i++)
        {
            bits[i] = (uint)source[i] << 16;
        }
    }

    /// <summary>Rounds fp32 to bf16 with round-to-nearest-even, as PyTorch does, so exported bf16 weights match bit for bit.</summary>
    public static void SingleToBFloat16(ReadOnlySpan<float> source, Span<ushort> destination)
    {
        for (var i = 0; i < source.Length; i++)
        {
            var bits = BitConverter.SingleToUInt32Bits(source[i]);
            if (float.IsNaN(source[i]))
            {
                destination[i] = 0x7FC0; // PyTorch writes one canonical NaN
                continue;
            }
            var roundingBias = 0x7FFFu + ((bits >> 16) & 1);
            destination[i] = (ushort)((bits + roundingBias) >> 16);
        }
    }
}

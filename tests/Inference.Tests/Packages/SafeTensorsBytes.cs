using System.Buffers.Binary;
using System.Text;

namespace MusicSearch.Inference.Tests.Packages;

/// <summary>Builds raw safetensors images by hand, so malformed files can be written on purpose.</summary>
internal static class SafeTensorsBytes
{
    public static byte[] Build(string headerJson, int dataBytes, ulong? headerLengthOverride = null)
    {
        var header = Encoding.UTF8.GetBytes(headerJson);
        var image = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(image, headerLengthOverride ?? (ulong)header.Length);
        header.CopyTo(image, 8);
        for (var i = 8 + header.Length; i < image.Length; i++)
        {
            image[i] = (byte)i;
        }
        return image;
    }
}
